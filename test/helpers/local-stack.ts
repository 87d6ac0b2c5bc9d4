/** Helpers for integration tests that run the whole local pipeline with both simulators. */
import type { LocalStack } from '#local/local-stack.ts';

export interface StatusDoc {
  idle: boolean;
  queues: Record<'jobs' | 'dlq', { visible: number; inFlight: number; delayed: number }>;
  flows: Record<
    string,
    { received: number; created: number; updated: number; skipped: number; failed: number }
  >;
  recentFailures: Array<{
    /** `open` until a later sync of the record resolves it. */
    state?: 'open' | 'resolved';
    code: string;
    flow: string;
    message: string;
    hint?: string;
    ids: Record<string, string>;
  }>;
}

export async function status(stack: LocalStack, waitSeconds?: number): Promise<StatusDoc> {
  const query = waitSeconds === undefined ? '' : `?waitForIdle=${waitSeconds}`;
  return (await fetch(`${stack.runtime.controlUrl}/status${query}`)).json() as Promise<StatusDoc>;
}

/**
 * Waits until Salesforce's outbox is drained and the queues are idle, twice in a row (a job can
 * cause another outbound message, which can cause another job). Bounded by `timeoutMs`.
 */
export async function settle(stack: LocalStack, timeoutMs = 60_000): Promise<StatusDoc> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let doc = await status(stack);
  while (quiet < 2) {
    if (Date.now() > deadline)
      throw new Error(`pipeline did not settle in ${timeoutMs} ms: ${JSON.stringify(doc.queues)}`);
    const drained = await stack.salesforce.outbound.waitForDrain(Math.max(1000, deadline - Date.now()));
    doc = await status(stack, Math.max(1, Math.floor((deadline - Date.now()) / 1000)));
    quiet = drained && doc.idle && stack.salesforce.outbound.pendingIds().length === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((r) => setTimeout(r, 200));
  }
  return doc;
}

export async function runSchedule(stack: LocalStack, name: string): Promise<void> {
  const response = await fetch(`${stack.runtime.controlUrl}/schedules/${name}/run`, { method: 'POST' });
  if (!response.ok) throw new Error(`schedule ${name} failed: ${await response.text()}`);
}

/** Writes made so far by the pipeline to each system (Intacct create/update functions, Salesforce DML calls). */
export function writeCounts(stack: LocalStack) {
  const ia = stack.intacct.counters().byFunction;
  return {
    intacct: (ia.create ?? 0) + (ia.update ?? 0),
    salesforce: stack.salesforce.apiUsage().dml,
  };
}

/** Intacct customers whose NAME is `name`. */
export function customersNamed(stack: LocalStack, name: string) {
  return stack.intacct.records('CUSTOMER').filter((c) => c.NAME === name);
}
