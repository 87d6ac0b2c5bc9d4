/**
 * Control API routes of the kill switch: POST /flows/{name}/pause and /flows/{name}/resume. They
 * write the state table through the AWS SDK exactly as `sfi pause` does, against the emulator.
 */
import type { ServerResponse } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { DynamoLedger } from '#shared/aws/ledger.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { SyncError } from '#shared/errors.ts';
import { TableFlowPauses } from '#shared/ops/flow-pauses.ts';
import { type OperateDeps, pauseFlow, resumeFlow } from '#shared/ops/operate.ts';
import { localClientConfig } from './aws/embedded-aws.ts';

// Keyed by endpoint and config: a test process may run several stacks one after another.
let cached: { key: string; config: SyncConfig; deps: OperateDeps } | undefined;

function operateDeps(config: SyncConfig): OperateDeps {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
  const key = `${endpoint} ${process.env.STATE_TABLE} ${process.env.LEDGER_TABLE}`;
  if (cached?.key !== key || cached.config !== config) {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)));
    const ledger = new DynamoLedger({
      db,
      table: process.env.LEDGER_TABLE ?? '',
      auditDays: config.retention.auditDays,
      failureDays: config.retention.failureDays,
    });
    const deps: OperateDeps = {
      flows: config.flows.map((f) => f.name),
      pauses: new TableFlowPauses(new DynamoKvTable({ db, table: process.env.STATE_TABLE ?? '' })),
      intacct: config.intacct,
      // Adding 0 answers the month's total through the ledger port, which has no read of it.
      usage: (month) => ledger.addIntacctTransactions(month, 0),
    };
    cached = { key, config, deps };
  }
  return cached.deps;
}

/** Handles the pause routes; false when the request is not one of them. */
export async function handleOperate(
  method: string,
  url: URL,
  response: ServerResponse,
  ctx: { config: SyncConfig; send: (response: ServerResponse, code: number, body: unknown) => void },
): Promise<boolean> {
  const match = /^\/flows\/([^/]+)\/(pause|resume)$/.exec(url.pathname);
  if (method !== 'POST' || match === null) return false;
  const flow = decodeURIComponent(match[1] ?? '');
  const d = operateDeps(ctx.config);
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
