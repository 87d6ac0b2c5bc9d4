/**
 * `sfi failures [--all] [--flow F] [--csv]` lists failure records (open ones by default, with
 * their count, class, both IDs, cause and fix); `sfi failures resolve <flow> <recordId>` marks one
 * record's open failures resolved. Clients of a running local stack's control API.
 */
interface FailureRow {
  state: string;
  count: number;
  class: string;
  flow: string;
  code: string;
  firstSeen: string;
  at: string;
  message: string;
  hint?: string;
  ids: Record<string, string | undefined>;
}

const COLUMNS = [
  'state',
  'count',
  'class',
  'flow',
  'code',
  'recordId',
  'salesforceId',
  'intacctKey',
  'firstSeen',
  'lastSeen',
  'message',
  'hint',
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (v: unknown) => {
  const text = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(rows: readonly FailureRow[]): string {
  const lines = rows.map((f) =>
    [
      f.state,
      f.count,
      f.class,
      f.flow,
      f.code,
      f.ids.recordId,
      f.ids.salesforceId,
      f.ids.intacctKey,
      f.firstSeen,
      f.at,
      f.message,
      f.hint,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}

export async function runFailures(options: {
  url: string;
  resolve?: { flow: string; id: string };
  all: boolean;
  flow?: string;
  csv: boolean;
}): Promise<number> {
  const base = options.url.replace(/\/$/, '');
  const query = new URLSearchParams(
    options.resolve !== undefined
      ? { flow: options.resolve.flow, id: options.resolve.id }
      : {
          state: options.all ? 'all' : 'open',
          ...(options.flow === undefined ? {} : { flow: options.flow }),
        },
  );
  let response: Response;
  try {
    response =
      options.resolve !== undefined
        ? await fetch(`${base}/failures/resolve?${query}`, { method: 'POST' })
        : await fetch(`${base}/failures?${query}`);
  } catch (error) {
    process.stderr.write(
      `sfi: cannot reach ${base} (${(error as Error).message})\nfix: start the pipeline with "npm start" or pass --url\n`,
    );
    return 1;
  }
  const doc = (await response.json()) as { failures?: FailureRow[] } & Record<string, unknown>;
  if (response.ok && options.csv && doc.failures !== undefined) process.stdout.write(toCsv(doc.failures));
  else process.stdout.write(`${JSON.stringify(options.resolve ? doc : (doc.failures ?? doc), null, 2)}\n`);
  return response.ok ? 0 : 1;
}
