/**
 * The failure routes of the control API (DESIGN §7, §9): `GET /failures` lists failure records as `sfi failures` does
 * (`?state=open` (default) or `all`, `?flow=`), `POST /failures/resolve?flow=&id=` marks the open
 * failures of one record resolved by hand (the data was fixed elsewhere, nothing to redrive).
 */
import type { ServerResponse } from 'node:http';
import type { Ledger } from '#shared/aws/ledger.ts';
import { listFailures } from '#shared/ops/failure-query.ts';

type Send = (response: ServerResponse, code: number, body: unknown) => void;

/** Answers a failure route; false when the request is not one. */
export async function handleFailures(
  method: string,
  url: URL,
  response: ServerResponse,
  deps: { flows: readonly string[]; ledger: Ledger; send: Send; now?: () => Date },
): Promise<boolean> {
  const flow = url.searchParams.get('flow') ?? undefined;
  if (flow !== undefined && !deps.flows.includes(flow)) {
    if (url.pathname !== '/failures' && url.pathname !== '/failures/resolve') return false;
    deps.send(response, 400, { error: 'BAD_REQUEST', message: `unknown flow "${flow}"`, flows: deps.flows });
    return true;
  }
  if (method === 'GET' && url.pathname === '/failures') {
    const state = url.searchParams.get('state') ?? 'open';
    if (state !== 'open' && state !== 'all') {
      deps.send(response, 400, { error: 'BAD_REQUEST', message: 'give ?state=open or ?state=all' });
      return true;
    }
    const failures = await listFailures(deps.ledger, deps.flows, {
      state,
      ...(flow === undefined ? {} : { flow }),
    });
    deps.send(response, 200, { state, failures });
    return true;
  }
  if (method === 'POST' && url.pathname === '/failures/resolve') {
    const id = url.searchParams.get('id') ?? '';
    if (flow === undefined || id === '') {
      deps.send(response, 400, {
        error: 'BAD_REQUEST',
        message: 'give ?flow=<flow>&id=<record ID>',
        flows: deps.flows,
      });
      return true;
    }
    const at = (deps.now?.() ?? new Date()).toISOString();
    const resolved = await deps.ledger.resolveFailures(flow, [id], at);
    deps.send(response, resolved > 0 ? 200 : 404, {
      flow,
      id,
      resolved,
      ...(resolved > 0 ? {} : { message: `${flow} has no open failure for ${id}` }),
    });
    return true;
  }
  return false;
}
