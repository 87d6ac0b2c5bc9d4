// The console page's script (served inline by page.ts): reads the JSON API, renders with DOM nodes
// and textContent only (record data never becomes markup), and sends each action as a POST with
// the page's token. An action's error shows with its code and hint.
const token = document.querySelector('meta[name="sfi-console-token"]').content;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (key === 'onclick') node.addEventListener('click', value);
    else if (value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children)
    node.append(child instanceof Node ? child : document.createTextNode(child == null ? '' : String(child)));
  return node;
}

const num = (value) => el('td', { class: 'num' }, value ?? 0);
const id = (value) => el('td', { class: 'id' }, value ?? '');
const when = (iso) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';

/** Fills `target` with a table (`groups`: an upper header row of [label, span]), or a line saying there is nothing. */
function table(target, headers, rows, empty, groups) {
  target.replaceChildren();
  if (rows.length === 0) {
    target.append(el('p', { class: 'empty' }, empty));
    return;
  }
  const head = el('thead', {});
  if (groups)
    head.append(
      el(
        'tr',
        {},
        ...groups.map(([label, span]) => el('th', { colspan: String(span), class: 'group' }, label)),
      ),
    );
  head.append(el('tr', {}, ...headers.map((h) => el('th', {}, h))));
  target.append(el('table', {}, head, el('tbody', {}, ...rows)));
}

function notice(kind, message, hint, code) {
  const box = $('notice');
  box.className = kind;
  box.replaceChildren(el('div', {}, message, code ? el('code', {}, ` ${code}`) : ''));
  if (hint) box.append(el('div', { class: 'hint' }, el('strong', {}, 'Fix: '), hint));
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw body;
  return body;
}

const summaries = {
  'api/redrive': (b) => `moved ${b.moved} of ${b.picked} picked (${b.scanned} looked at in the DLQ)`,
  'api/replay': (b) => `queued a job for ${b.flow} ${b.id}`,
  'api/failures/resolve': (b) => `resolved ${b.resolved.map((r) => `${r.resolved} in ${r.flow}`).join(', ')}`,
  'api/pause': (b) => `${b.paused.flow} paused`,
  'api/resume': (b) => `${b.flow} ${b.resumed ? 'resumed' : 'was not paused'}`,
};

async function act(label, path, body, button) {
  if (button) button.disabled = true;
  notice('working', `${label}…`);
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sfi-console-token': token },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) notice('ok', `${label}: ${summaries[path](answer)}`);
    else notice('error', `${label} failed: ${answer.message ?? response.status}`, answer.hint, answer.error);
  } catch (error) {
    notice('error', `${label} failed: ${error.message}`, 'check that the console is still running');
  } finally {
    if (button) button.disabled = false;
  }
  await refresh();
}

function failureRow(f) {
  const recordId = f.ids?.recordId ?? f.id;
  const source = f.job?.source ?? (f.ids?.intacctKey === recordId ? 'intacct' : 'salesforce');
  const salesforceId = f.ids?.salesforceId ?? (source === 'salesforce' ? recordId : '');
  const intacctKey = f.ids?.intacctKey ?? (source === 'intacct' ? recordId : '');
  const button = (label, path, body) =>
    el(
      'button',
      { type: 'button', onclick: (e) => act(`${label} ${recordId}`, path, body, e.target) },
      label,
    );
  return el(
    'tr',
    { 'data-record-id': recordId, 'data-code': f.code },
    el('td', {}, f.flow),
    el('td', {}, el('span', { class: 'badge bad' }, f.class)),
    el('td', {}, el('code', {}, f.code)),
    el('td', { class: 'cause' }, f.message),
    el('td', { class: 'fix' }, f.hint ?? ''),
    num(f.count),
    el('td', {}, when(f.firstSeen)),
    el('td', {}, when(f.at)),
    id(salesforceId),
    id(intacctKey),
    el(
      'td',
      { class: 'actions' },
      button('Redrive', 'api/redrive', { flow: f.flow, id: recordId }),
      button('Replay', 'api/replay', { flow: f.flow, source, id: recordId }),
      button('Resolve', 'api/failures/resolve', { flow: f.flow, recordId }),
    ),
  );
}

function renderFailures(failures) {
  $('failure-count').textContent = String(failures.length);
  $('failure-count').className = failures.length > 0 ? 'badge bad' : 'badge ok';
  const headers = ['Flow', 'Class', 'Code', 'Cause', 'Fix', 'Count', 'First seen', 'Last seen'];
  table(
    $('failures'),
    [...headers, 'Salesforce', 'Intacct', ''],
    failures.map(failureRow),
    'No open failures.',
  );
}

function renderFlows(s) {
  const paused = new Set(s.paused.map((p) => p.flow));
  const names = Object.keys(s.flows);
  const stats = (x) => [num(x.received), num(x.created), num(x.updated), num(x.skipped), num(x.failed)];
  const rows = names.map((flow) => {
    const isPaused = paused.has(flow);
    const toggle = el(
      'button',
      {
        type: 'button',
        onclick: (e) =>
          act(
            `${isPaused ? 'Resume' : 'Pause'} ${flow}`,
            isPaused ? 'api/resume' : 'api/pause',
            { flow },
            e.target,
          ),
      },
      isPaused ? 'Resume' : 'Pause',
    );
    return el(
      'tr',
      { 'data-flow': flow },
      el('td', {}, flow, isPaused ? el('span', { class: 'badge bad' }, ' paused') : ''),
      ...stats(s.flows[flow]),
      ...stats(s.flowsLast7Days[flow] ?? {}),
      num(s.openFailures.byFlow[flow] ?? 0),
      el('td', {}, toggle),
    );
  });
  const kinds = ['received', 'created', 'updated', 'skipped', 'failed'];
  const groups = [
    ['', 1],
    ['today', 5],
    ['last 7 days', 5],
    ['', 2],
  ];
  table($('flows'), ['Flow', ...kinds, ...kinds, 'open failures', ''], rows, 'No flows configured.', groups);
}

function renderStatus(s) {
  $('where').textContent = s.where;
  $('state').textContent = `${s.idle ? 'idle' : 'working'} · updated ${new Date().toLocaleTimeString()}`;
  renderFlows(s);
  const queue = (name, q) =>
    el('tr', { 'data-queue': name }, el('td', {}, name), num(q.visible), num(q.inFlight), num(q.delayed));
  table(
    $('queues'),
    ['Queue', 'waiting', 'in flight', 'delayed'],
    [queue('jobs', s.queues.jobs), queue('DLQ', s.queues.dlq)],
    '',
  );
  const b = s.budget;
  table(
    $('budget'),
    ['Month', 'used', 'allowance', 'reserve', 'projected', 'bulk work'],
    [
      el(
        'tr',
        {},
        el('td', {}, b.month),
        num(b.used),
        num(b.allowance),
        num(b.reserve),
        num(b.projected),
        el(
          'td',
          {},
          b.governed ? (b.bulkDeferred ? 'deferred (only the reserve is left)' : 'runs') : 'not governed',
        ),
      ),
    ],
    '',
  );
  const schedule = (x) =>
    el(
      'tr',
      {},
      el('td', {}, x.name),
      el('td', {}, x.rate ?? x.cron ?? ''),
      el('td', {}, x.lastRun ? when(x.lastRun.startedAt) : 'never'),
      el('td', {}, x.lastRun?.status ?? ''),
      num(x.lastRun?.enqueued ?? ''),
    );
  table(
    $('schedules'),
    ['Schedule', 'when', 'last run', 'status', 'enqueued'],
    s.schedules.map(schedule),
    'No schedules.',
  );
}

function renderActivity(entries) {
  const row = (a) =>
    el(
      'tr',
      {},
      el('td', {}, when(a.at)),
      el('td', {}, a.flow),
      el('td', {}, a.action),
      id(a.detail?.salesforceId ?? a.recordId),
      id(a.detail?.intacctKey ?? ''),
      el('td', {}, a.detail?.to ?? ''),
      el('td', {}, (a.detail?.fields ?? []).join(', ')),
      el('td', {}, a.detail?.reason ?? ''),
    );
  table(
    $('activity'),
    ['When', 'Flow', 'Action', 'Salesforce', 'Intacct', 'written to', 'fields', 'why'],
    entries.map(row),
    'Nothing synced yet.',
  );
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const [status, failures, activity] = await Promise.all([
      getJson('api/status'),
      getJson('api/failures?state=open'),
      getJson('api/activity'),
    ]);
    renderStatus(status);
    renderFailures(failures.failures);
    renderActivity(activity.activity);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    notice('error', `cannot read the stack: ${error.message}`, error.hint, error.error);
  } finally {
    refreshing = false;
  }
}

$('refresh').addEventListener('click', () => refresh());
$('redrive-all').addEventListener('click', (e) => act('Redrive all', 'api/redrive', {}, e.target));
setInterval(() => {
  if ($('auto').checked) refresh();
}, 5000);
refresh();
