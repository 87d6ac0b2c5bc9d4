/**
 * The `sfi local --once` scenario. At this stage of the product it proves the plumbing end to end:
 * changes made by a user in the Salesforce simulator fire outbound messages, the webhook acks them,
 * and the worker receives exactly one job per change; a redelivered notification is counted. The
 * sync engine will extend the checks to "both systems hold the same data".
 */
import type { LocalStack } from './local-stack.ts';

export interface DemoReport {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  salesforceOutbound: unknown;
  flows: unknown;
  failures: unknown[];
}

export async function runDemoScenario(stack: LocalStack, timeoutMs = 60_000): Promise<DemoReport> {
  const accounts = stack.salesforce.records('Account');
  const changed = accounts.slice(0, 3);
  for (const [i, account] of changed.entries()) {
    stack.salesforce.asUser.update('Account', String(account.Id), { Phone: `+1 555 0100 ${i}` });
  }
  const created = stack.salesforce.asUser.create('Account', { Name: 'Demo Newco Ltd', BillingCountry: 'US' });
  const drained = await stack.salesforce.outbound.waitForDrain(timeoutMs);
  const status = (await (
    await fetch(`${stack.runtime.controlUrl}/status?waitForIdle=${Math.ceil(timeoutMs / 1000)}`)
  ).json()) as {
    idle: boolean;
    flows: Record<string, { received: number }>;
    recentFailures: unknown[];
    queues: { dlq: { visible: number } };
  };
  const outbound = stack.salesforce.outbound.stats();
  const received = status.flows['account-customer']?.received ?? 0;
  const checks = [
    { name: 'outbound messages delivered and acked', ok: drained, detail: JSON.stringify(outbound) },
    { name: 'pipeline idle', ok: status.idle, detail: `idle=${status.idle}` },
    {
      name: 'one job per change reached the worker',
      ok: received >= changed.length + 1,
      detail: `${received} jobs for ${changed.length + 1} changes (${created} created)`,
    },
    {
      name: 'no failures',
      ok: status.recentFailures.length === 0 && status.queues.dlq.visible === 0,
      detail: `${status.recentFailures.length} failures`,
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    checks,
    salesforceOutbound: outbound,
    flows: status.flows,
    failures: status.recentFailures,
  };
}
