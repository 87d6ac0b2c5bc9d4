/**
 * Control API routes of the kill switch: POST /flows/{name}/pause and /flows/{name}/resume. They
 * write the state table through the AWS SDK exactly as `sfi pause` does, against the emulator.
 */
import type { ServerResponse } from 'node:http';
import { SyncError } from '#shared/errors.ts';
import { type OperateDeps, pauseFlow, resumeFlow } from '#shared/ops/operate.ts';

/** Handles the pause routes; false when the request is not one of them. */
export async function handleOperate(
  method: string,
  url: URL,
  response: ServerResponse,
  ctx: { operate: OperateDeps; send: (response: ServerResponse, code: number, body: unknown) => void },
): Promise<boolean> {
  const match = /^\/flows\/([^/]+)\/(pause|resume)$/.exec(url.pathname);
  if (method !== 'POST' || match === null) return false;
  const flow = decodeURIComponent(match[1] ?? '');
  const d = ctx.operate;
  try {
    if (match[2] === 'pause') ctx.send(response, 200, { paused: await pauseFlow(d, flow) });
    else ctx.send(response, 200, await resumeFlow(d, flow));
  } catch (error) {
    const known = error instanceof SyncError && error.code === 'FLOW_UNKNOWN';
    ctx.send(response, known ? 404 : 500, {
      error: error instanceof SyncError ? error.code : 'INTERNAL',
      message: (error as Error).message,
      hint: error instanceof SyncError ? error.hint : undefined,
      ...(known ? { flows: d.flows } : {}),
    });
  }
  return true;
}
