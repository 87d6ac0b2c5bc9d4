/** `sfi status`, `sfi run-schedule`, `sfi redrive`: clients of a running local stack's control API. */
export async function runControl(options: {
  command: 'status' | 'run-schedule' | 'redrive';
  url: string;
  schedule?: string;
}) {
  const base = options.url.replace(/\/$/, '');
  let response: Response;
  try {
    response =
      options.command === 'run-schedule'
        ? await fetch(`${base}/schedules/${encodeURIComponent(options.schedule ?? '')}/run`, {
            method: 'POST',
          })
        : options.command === 'redrive'
          ? await fetch(`${base}/dlq/redrive`, { method: 'POST' })
          : await fetch(`${base}/status`);
  } catch (error) {
    process.stderr.write(
      `sfi: cannot reach ${base} (${(error as Error).message})\nfix: start the pipeline with "npm start" or pass --url\n`,
    );
    return 1;
  }
  const doc = (await response.json()) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  return response.ok ? 0 : 1;
}

/** POSTs to the control API and prints the JSON answer; exit code 1 unless it is a 2xx. */
export async function post(url: string, path: string): Promise<number> {
  const base = url.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method: 'POST' });
  } catch (error) {
    process.stderr.write(
      `sfi: cannot reach ${base} (${(error as Error).message})\nfix: start the pipeline with "npm start" or pass --url\n`,
    );
    return 1;
  }
  process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
  return response.ok ? 0 : 1;
}
