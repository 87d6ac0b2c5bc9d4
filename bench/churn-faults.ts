/**
 * `churn`: users change records in Salesforce and in Intacct at the same time (some the same
 * record on both sides), outbound messages fire, and both delta polls run at once. `faults`: a
 * fresh batch of accounts synced through 10% transient faults on both APIs plus 524s, duplicate
 * and reordered outbound deliveries and a worker crash mid-run; then lost/duplicates/DLQ.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { measured } from './pipeline.ts';
import { progress, step } from './progress.ts';
import type { BenchStack } from './stack.ts';
import type { PipelineRun, Reliability } from './types.ts';
import { accountFields } from './workload.ts';

type Row = Record<string, unknown>;
const phoneOf = (c: Row | undefined) => (c?.DISPLAYCONTACT as Row | undefined)?.PHONE1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `gapMs`: how long after the Salesforce edits the same records are edited in Intacct. An Intacct
 * edit that lands between a worker's read of the record and its update is overwritten (Intacct has
 * no conditional update): the check counts those as mismatched.
 */
export async function churn(
  stack: BenchStack,
  perSide: number,
  both: number,
  gapMs = 1100,
): Promise<PipelineRun> {
  const synced = stack.salesforce
    .records('Account')
    .filter((a) => String(a.AccountNumber).startsWith('BF-') && a.Intacct_Customer_Id__c === a.AccountNumber)
    .slice(-(2 * perSide + both));
  if (synced.length < 2 * perSide + both) throw new Error('churn needs a backfill first');
  const sfSide = synced.slice(0, perSide);
  const iaSide = synced.slice(perSide, 2 * perSide);
  const bothSides = synced.slice(2 * perSide);
  const key = (a: Row) => String(a.AccountNumber);
  const total = 2 * perSide + both;
  const start = stack.intacct.counters().byFunction.update ?? 0;
  const startDml = stack.salesforce.apiUsage().dml;
  stack.outbound.enabled = true; // as deployed: user edits in Salesforce fire outbound messages
  const m = await measured(
    stack,
    'churn: updates written (both systems)',
    total,
    () =>
      (stack.intacct.counters().byFunction.update ?? 0) - start + stack.salesforce.apiUsage().dml - startDml,
    async () => {
      sfSide.forEach((a, i) => {
        stack.salesforce.asUser.update('Account', String(a.Id), {
          Phone: `+1 650 100 ${pad(i)}`,
          BillingCity: 'Churnville',
        });
        const b = iaSide[i];
        if (b)
          stack.intacct.userUpdate('CUSTOMER', key(b), {
            DISPLAYCONTACT: { PHONE1: `+1 650 200 ${pad(i)}` },
          });
      });
      bothSides.forEach((a, i) => {
        stack.salesforce.asUser.update('Account', String(a.Id), { Phone: `+1 650 300 ${pad(i)}` });
      });
      // The Intacct edits of the same records come later (whole-second clocks): they are the latest.
      await sleep(gapMs);
      bothSides.forEach((a, i) => {
        stack.intacct.userUpdate('CUSTOMER', key(a), { DISPLAYCONTACT: { PHONE1: `+1 650 400 ${pad(i)}` } });
      });
      await Promise.all([
        stack.runtime.runSchedule('salesforce-delta'),
        stack.runtime.runSchedule('intacct-delta'),
      ]);
    },
  );
  stack.outbound.enabled = false;
  const expect = new Map<string, string>();
  for (const [i, a] of sfSide.entries()) expect.set(key(a), `+1 650 100 ${pad(i)}`);
  for (const [i, a] of iaSide.entries()) expect.set(key(a), `+1 650 200 ${pad(i)}`);
  for (const [i, a] of bothSides.entries()) expect.set(key(a), `+1 650 400 ${pad(i)}`);
  let mismatched = 0;
  for (const a of synced) {
    const want = expect.get(key(a));
    const sf = stack.salesforce.record('Account', String(a.Id))?.Phone;
    const ia = phoneOf(stack.intacct.record('CUSTOMER', key(a)));
    if (sf !== want || ia !== want) mismatched++;
  }
  return {
    name: 'churn',
    records: total,
    changed: total,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: { settled: m.settled, jobs: m.jobs, skipped: m.skipped, mismatched, conflicts: both },
  };
}

const pad = (n: number) => String(n).padStart(4, '0');

/** DLQ contents: distinct records and the error codes they carry (messages stay, hidden for a minute). */
async function dlqRecords(stack: BenchStack): Promise<{ messages: number; records: Map<string, string> }> {
  const records = new Map<string, string>();
  let messages = 0;
  for (;;) {
    const out = await stack.runtime.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.runtime.aws.queues.dlq,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = out.Messages ?? [];
    if (batch.length === 0) break;
    for (const msg of batch) {
      messages++;
      const job = JSON.parse(msg.Body ?? '{}') as { recordId?: string };
      records.set(String(job.recordId), msg.MessageAttributes?.errorCode?.StringValue ?? 'MAX_RECEIVES');
    }
  }
  return { messages, records };
}

export async function faults(
  stack: BenchStack,
  n: number,
  permanent: number,
): Promise<{ run: PipelineRun; reliability: Reliability }> {
  // Permanent failures on purpose: names that match two Intacct customers (AMBIGUOUS_MATCH).
  const dupNames = Array.from({ length: permanent }, (_, k) => `Bench FLT duplicate ${k + 1}`);
  for (const [k, name] of dupNames.entries())
    for (const s of ['A', 'B'])
      stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: `DUP-${k + 1}-${s}`,
        NAME: name,
        DISPLAYCONTACT: { PRINTAS: name },
      });
  const fields = Array.from({ length: n }, (_, i) => {
    const f = accountFields('FLT', i + 1);
    return i < permanent ? { ...f, Name: dupNames[i] } : f;
  });
  stack.salesforce.setFaults({ errorRate: 0.1 });
  stack.intacct.setFaults({ rate5xx: 0.05, rate429: 0.03, rate524: 0.02 });
  stack.intacct.injectFaults('524', 'expire-sessions', '524');
  stack.salesforce.outbound.configure({ duplicateRate: 0.1, reorder: true });
  stack.outbound.enabled = true;
  const created = () => stack.intacct.counters().byFunction.create ?? 0;
  const base = created();
  let crashed = false;
  let polled = false;
  const m = await measured(
    stack,
    'faults: creates sent to Intacct',
    n - permanent,
    () => {
      const done = created() - base;
      if (!crashed && done >= n / 4) {
        crashed = true;
        void stack.runtime.crashWorker();
      }
      if (!polled && done >= n / 2) {
        polled = true;
        void pollWithRetry(stack);
      }
      return done;
    },
    async () => {
      for (const f of fields) stack.salesforce.asUser.create('Account', f);
    },
  );
  stack.salesforce.setFaults({ errorRate: 0 });
  stack.intacct.setFaults({ rate5xx: 0, rate429: 0, rate524: 0 });
  stack.salesforce.outbound.configure({ duplicateRate: 0, reorder: false });
  stack.outbound.enabled = false;
  step(`faults: settled=${m.settled}, worker crashed=${crashed}, mid-run delta poll=${polled}`);

  const accounts = stack.salesforce
    .records('Account')
    .filter((a) => String(a.AccountNumber).startsWith('FLT-'));
  const customers = stack.intacct.records('CUSTOMER');
  const byName = new Map<string, number>();
  for (const c of customers) byName.set(String(c.NAME), (byName.get(String(c.NAME)) ?? 0) + 1);
  const ids = new Set(customers.map((c) => String(c.CUSTOMERID)));
  const dlq = await dlqRecords(stack);
  const expectedIds = new Set(
    accounts.filter((a) => dupNames.includes(String(a.Name))).map((a) => String(a.Id)),
  );
  let lost = 0;
  let duplicates = 0;
  for (const a of accounts) {
    if (expectedIds.has(String(a.Id))) continue;
    if (!ids.has(String(a.AccountNumber)) && !dlq.records.has(String(a.Id))) lost++;
    duplicates += Math.max(0, (byName.get(String(a.Name)) ?? 0) - 1);
  }
  const permanentInDlq = [...expectedIds].filter((id) => dlq.records.get(id) === 'AMBIGUOUS_MATCH').length;
  const reliability: Reliability = {
    records: n,
    lost,
    duplicates,
    dlq: dlq.records.size,
    expectedPermanentFailures: permanent,
  };
  return {
    reliability,
    run: {
      name: 'faults',
      records: n,
      changed: n,
      costs: m.costs,
      wallMs: m.wallMs,
      latencyMs: null,
      checks: {
        settled: m.settled,
        // (no job count: the crashed worker's replacement starts its own counters)
        dlqMessages: dlq.messages,
        permanentInDlqWithReason: permanentInDlq,
        transientInDlq: [...dlq.records.keys()].filter((id) => !expectedIds.has(id)).length,
        writeBackMissing: accounts.filter(
          (a) => !expectedIds.has(String(a.Id)) && a.Intacct_Customer_Id__c !== a.AccountNumber,
        ).length,
        outboundDuplicates: stack.salesforce.outbound.stats().duplicates,
        intacctFaultsInjected: Object.values(stack.intacct.counters().faultsInjected).reduce(
          (x, y) => x + y,
          0,
        ),
      },
    },
  };
}

/** The salesforce-delta poll during the fault storm; a poll that hits a fault is retried, as the next tick would. */
async function pollWithRetry(stack: BenchStack): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await stack.runtime.runSchedule('salesforce-delta');
      return;
    } catch {
      progress('faults: mid-run delta poll failed on an injected fault, retrying');
      await sleep(1000);
    }
  }
}
