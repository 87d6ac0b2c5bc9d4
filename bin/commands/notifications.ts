/**
 * `sfi notifications [--flow F] [--json]`: the failure digests the running local stack would have
 * sent (what an inbox subscribed to the failure topic holds), each as its subject and text, oldest
 * first; `--json` prints them as one JSON document. A client of the control API.
 */
interface Notification {
  messageId: string;
  at: string;
  subject: string;
  message: string;
  flow: string;
  failures: number;
}

export function toText(notifications: readonly Notification[]): string {
  if (notifications.length === 0) return 'no failure digests sent\n';
  return notifications.map((n) => `=== ${n.at}  ${n.subject}\n${n.message}\n`).join('\n');
}

export async function runNotifications(options: {
  url: string;
  flow?: string;
  json: boolean;
}): Promise<number> {
  const base = options.url.replace(/\/$/, '');
  const query = options.flow === undefined ? '' : `?${new URLSearchParams({ flow: options.flow })}`;
  let response: Response;
  try {
    response = await fetch(`${base}/notifications${query}`);
  } catch (error) {
    process.stderr.write(
      `sfi: cannot reach ${base} (${(error as Error).message})\nfix: start the pipeline with "npm start" or pass --url\n`,
    );
    return 1;
  }
  const doc = (await response.json()) as { notifications?: Notification[] } & Record<string, unknown>;
  if (!response.ok || doc.notifications === undefined) {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return 1;
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(doc.notifications, null, 2)}\n` : toText(doc.notifications),
  );
  return 0;
}
