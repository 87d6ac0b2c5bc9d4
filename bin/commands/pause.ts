/**
 * `sfi pause <flow>` / `sfi resume <flow>`: the kill switch. A paused flow's jobs wait in the queue
 * (re-sent delayed, nothing fails) until it is resumed; workers see the change within seconds.
 * Clients of a running local stack's control API, which writes the state table as deployed.
 */
export async function runPause(options: {
  url: string;
  flow: string;
  action: 'pause' | 'resume';
}): Promise<number> {
  const base = options.url.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/flows/${encodeURIComponent(options.flow)}/${options.action}`, {
      method: 'POST',
    });
  } catch (error) {
    process.stderr.write(
      `sfi: cannot reach ${base} (${(error as Error).message})\nfix: start the pipeline with "npm start" or pass --url\n`,
    );
    return 1;
  }
  const body = (await response.json()) as { message?: string; hint?: string } & Record<string, unknown>;
  if (!response.ok) {
    process.stderr.write(
      `sfi: ${body.message ?? `${options.action} failed (${response.status})`}\n${body.hint ? `fix: ${body.hint}\n` : ''}`,
    );
    return 1;
  }
  process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  const note =
    options.action === 'pause'
      ? `${options.flow} paused: its jobs wait in the queue; "sfi resume ${options.flow}" lets them run\n`
      : body.resumed === false
        ? `${options.flow} was not paused\n`
        : `${options.flow} resumed: its waiting jobs run within a minute\n`;
  process.stderr.write(note);
  return 0;
}
