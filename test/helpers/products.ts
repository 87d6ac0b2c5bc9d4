/** Helpers of the product, price and stock tests: configs, stacks, and what Salesforce holds. */
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { parseSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { testConfig } from './config.ts';
import { runSchedule, settle, status } from './local-stack.ts';

type Row = Record<string, unknown>;

/** The repository's config with the product flows changed (validated like any config). */
export function productConfig(change: (flow: (name: string) => Row) => void): SyncConfig {
  const raw = structuredClone(testConfig()) as unknown as { flows: Row[] };
  change((name) => raw.flows.find((f) => f.name === name) as Row);
  return parseSyncConfig(raw);
}

/**
 * An empty org and company on the local pipeline. One per test file: the handlers load config and
 * clients once per module, as a Lambda does per cold start.
 */
export function startProductStack(config: SyncConfig): Promise<LocalStack> {
  return startLocalStack({ config, seed: 'empty', timers: false, runtime: { visibilityTimeoutSeconds: 2 } });
}

export const productsOf = (stack: LocalStack, itemId: string) =>
  stack.salesforce.records('Product2').filter((p) => p.Intacct_Item_Id__c === itemId);

export const entriesOf = (stack: LocalStack, productId: unknown) =>
  stack.salesforce.records('PricebookEntry').filter((e) => e.Product2Id === productId);

/** A product's entries as [price book name, currency, price], sorted. */
export function pricesOf(stack: LocalStack, productId: unknown): Array<[unknown, unknown, unknown]> {
  const books = new Map(stack.salesforce.records('Pricebook2').map((b) => [b.Id, b.Name]));
  return entriesOf(stack, productId)
    .map((e): [unknown, unknown, unknown] => [books.get(e.Pricebook2Id), e.CurrencyIsoCode, e.UnitPrice])
    .sort();
}

export const failuresOf = async (stack: LocalStack, flow: string, recordId: string) =>
  (await status(stack)).recentFailures.filter((f) => f.flow === flow && f.ids.recordId === recordId);

/** Runs the schedules one after another, each to quiescence. */
export async function poll(stack: LocalStack, ...schedules: string[]): Promise<void> {
  for (const s of schedules) {
    await runSchedule(stack, s);
    await settle(stack);
  }
}

export async function redrive(stack: LocalStack): Promise<number> {
  const response = await fetch(`${stack.runtime.controlUrl}/dlq/redrive`, { method: 'POST' });
  const moved = ((await response.json()) as { moved: number }).moved;
  await settle(stack);
  return moved;
}
