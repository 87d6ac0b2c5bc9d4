/**
 * The console at `sfi local`'s control URL (`GET /` and `/api/*`): the same handler `sfi console`
 * serves, over the same OpsContext `sfi` builds for the local stack (openTarget on the control URL:
 * DescribeStacks and Lambda Invoke served here, SQS and DynamoDB on the embedded emulators), so the
 * page shows exactly what the commands see. Opened on the first request, once per control server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consoleHandler } from '#shared/ops/console/server.ts';
import { openTarget } from '#shared/ops/target.ts';

/** Per control URL; `runtime` (its config object) tells a later stack on a reused port apart. */
const handlers = new Map<string, { runtime: object; handle: ReturnType<typeof consoleHandler> }>();

/** Answers the console's routes (true); anything else is left to the control API (false). */
export function handleConsole(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  runtime: object,
): Promise<boolean> {
  const controlUrl = `http://127.0.0.1:${request.socket.localPort}`;
  let entry = handlers.get(controlUrl);
  if (entry?.runtime !== runtime) {
    entry = { runtime, handle: consoleHandler({ context: () => openTarget({ url: controlUrl }) }) };
    handlers.set(controlUrl, entry);
  }
  return entry.handle(request, response, url);
}
