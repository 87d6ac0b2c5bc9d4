/**
 * Bench data and traffic: accounts created straight in the Salesforce simulator's store (as a
 * human user, through its validation, at in-process speed), outbound-message bodies in
 * Salesforce's wire format, and waiting for the pipeline to go quiet without touching DynamoDB.
 */
import type { SObjectRecord } from '#local/salesforce-sim/validate.ts';
import { outboundMessage } from '../test/fixtures/outbound-message.ts';
import type { BenchStack, Simulators } from './stack.ts';

const CITIES = ['Austin', 'Boston', 'Chicago', 'Denver', 'Seattle', 'Portland', 'Atlanta', 'Miami'];

/** Fields of the n-th bench account of a batch (`tag` keeps names and account numbers unique). */
export function accountFields(tag: string, n: number): Record<string, unknown> {
  const num = String(n).padStart(6, '0');
  return {
    Name: `Bench ${tag} ${num}`,
    AccountNumber: `${tag}-${num}`,
    Phone: `+1 512 555 ${String(n % 10_000).padStart(4, '0')}`,
    Website: `https://${tag.toLowerCase()}${num}.example.com`,
    BillingStreet: `${n} Main Street`,
    BillingCity: CITIES[n % CITIES.length],
    BillingState: 'TX',
    BillingPostalCode: String(73_301 + (n % 500)),
    BillingCountry: 'United States',
  };
}

/** Creates `count` accounts as the admin user; outbound messages fire only if `sims.outbound.enabled`. */
export function createAccounts(sims: Simulators, tag: string, count: number, from = 1): string[] {
  const ids: string[] = [];
  for (let n = from; n < from + count; n++)
    ids.push(sims.salesforce.asUser.create('Account', accountFields(tag, n)));
  return ids;
}

/** An outbound-message body for these accounts, with every non-null field, as Salesforce sends it. */
export function outboundBody(orgId: string, records: SObjectRecord[]): string {
  return outboundMessage({
    orgId,
    objectType: 'Account',
    notifications: records.map((r, i) => ({
      id: `04l${String(Date.now() % 1e9).padStart(9, '0')}${String(i).padStart(3, '0')}AAA`,
      fields: Object.fromEntries(
        Object.entries(r)
          .filter(([k, v]) => v !== null && v !== undefined && k !== 'attributes' && typeof v !== 'object')
          .map(([k, v]) => [k, String(v)]),
      ),
    })),
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until Salesforce's outbox is empty and the jobs queue is idle (nothing visible, in
 * flight or delayed, no invocation running) on two checks in a row, and returns when that quiet
 * began (performance.now() ms; undefined on timeout). Uses SQS queue attributes only, so the
 * DynamoDB counters stay the pipeline's own.
 */
export async function waitIdle(
  stack: BenchStack,
  options: { timeoutMs: number; onTick?: () => void },
): Promise<number | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let quiet = 0;
  let quietSince = 0;
  while (Date.now() < deadline) {
    options.onTick?.();
    const at = performance.now();
    const drained = stack.salesforce.outbound.pendingIds().length === 0;
    quiet = drained && (await stack.runtime.isIdle()) ? quiet + 1 : 0;
    if (quiet === 1) quietSince = at;
    if (quiet >= 2) return quietSince;
    await sleep(quiet > 0 ? 100 : 200);
  }
  return undefined;
}
