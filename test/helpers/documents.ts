/** Helpers of the sales-document tests: configs, won opportunities with lines, what Intacct holds. */
import { readFileSync } from 'node:fs';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import type { LocalRuntimeOptions } from '#local/runtime.ts';
import { parseSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { runSchedule, status } from './local-stack.ts';

type Row = Record<string, unknown>;

/**
 * The repository's config file (switched-off flows included) with flows changed, validated like
 * any config.
 */
export function documentConfig(
  change: (flow: (name: string) => Row) => void = () => {},
  extraFlows: Row[] = [],
): SyncConfig {
  const raw = JSON.parse(readFileSync('sync.config.json', 'utf8')) as { flows: Row[] };
  change((name) => raw.flows.find((f) => f.name === name) as Row);
  raw.flows.push(...extraFlows);
  return parseSyncConfig(raw);
}

/**
 * The local pipeline on an empty org and the demo company's entities (E100 US/USD, E200 UK/GBP),
 * outbound messages held in the simulator (jobs come from replays and polls), and these items
 * synced to products. One per test file: handlers load config once per module.
 */
export async function startDocumentStack(
  config: SyncConfig,
  items: Array<{ id: string; name: string; price: number }>,
  runtime: Partial<LocalRuntimeOptions> = {},
): Promise<LocalStack> {
  const stack = await startLocalStack({
    config,
    seed: 'empty',
    timers: false,
    intacct: { seed: 'entities' },
    runtime: { visibilityTimeoutSeconds: 2, ...runtime },
  });
  stack.salesforce.setOutboundEndpoint(undefined);
  await seedItems(stack, items);
  return stack;
}

/** Intacct items, synced to Product2 with standard USD prices; GBP and EUR standard prices added. */
export async function seedItems(
  stack: LocalStack,
  items: Array<{ id: string; name: string; price: number }>,
) {
  for (const i of items)
    stack.intacct.userCreate('ITEM', {
      ITEMID: i.id,
      NAME: i.name,
      ITEMTYPE: 'Non-Inventory',
      BASEPRICE: String(i.price),
    });
  await quietPoll(stack, 'intacct-delta');
  const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
  for (const i of items) {
    const product = productOf(stack, i.id);
    for (const currency of ['GBP', 'EUR'])
      stack.salesforce.asUser.create('PricebookEntry', {
        Pricebook2Id: standard?.Id,
        Product2Id: product.Id,
        UnitPrice: i.price,
        CurrencyIsoCode: currency,
        IsActive: true,
      });
  }
}

export function productOf(stack: LocalStack, itemId: string): Row {
  const product = stack.salesforce.records('Product2').find((p) => p.ProductCode === itemId);
  if (product === undefined) throw new Error(`no product ${itemId}`);
  return product;
}

export interface WonDeal {
  account?: Row;
  accountId?: string;
  currency?: string;
  closeDate?: string;
  lines: Array<{ product: string; quantity: number; price: number; discount?: number }>;
  stage?: string;
  /** More Opportunity fields (Type …). */
  opportunity?: Row;
}

/** An Opportunity with lines, then moved to Closed Won (as a rep would); returns its ID. */
export function wonOpportunity(
  stack: LocalStack,
  deal: WonDeal,
): { opportunityId: string; accountId: string } {
  const sf = stack.salesforce.asUser;
  const accountId =
    deal.accountId ??
    sf.create('Account', { Name: `Acct ${Math.random().toString(36).slice(2, 8)}`, ...deal.account });
  const currency = deal.currency ?? 'USD';
  const standard = stack.salesforce.records('Pricebook2').find((b) => b.IsStandard === true);
  const opportunityId = sf.create('Opportunity', {
    Name: `Deal ${Math.random().toString(36).slice(2, 8)}`,
    AccountId: accountId,
    StageName: 'Prospecting',
    CloseDate: deal.closeDate ?? new Date().toISOString().slice(0, 10),
    CurrencyIsoCode: currency,
    Pricebook2Id: standard?.Id,
    ...deal.opportunity,
  });
  for (const line of deal.lines) {
    const product = stack.salesforce.records('Product2').find((p) => p.ProductCode === line.product);
    const entry = stack.salesforce
      .records('PricebookEntry')
      .find(
        (e) =>
          e.Product2Id === product?.Id && e.CurrencyIsoCode === currency && e.Pricebook2Id === standard?.Id,
      );
    sf.create('OpportunityLineItem', {
      OpportunityId: opportunityId,
      PricebookEntryId: entry?.Id,
      Quantity: line.quantity,
      UnitPrice: line.price,
      ...(line.discount === undefined ? {} : { Discount: line.discount }),
    });
  }
  sf.update('Opportunity', opportunityId, { StageName: deal.stage ?? 'Closed Won' });
  return { opportunityId, accountId };
}

/** The Intacct sales documents whose EXTERNALID is the record's ID. */
export const documentsOf = (stack: LocalStack, salesforceId: string) =>
  stack.intacct.records('SODOCUMENT').filter((d) => d.EXTERNALID === salesforceId);

/** A document's lines as the simulator stores them. */
export function linesOf(doc: Row | undefined): Row[] {
  const e = (doc?.SODOCUMENTENTRIES as Row | undefined)?.sodocumententry;
  return Array.isArray(e) ? (e as Row[]) : e ? [e as Row] : [];
}

/** Enqueues a replay of the record for the flow (no snapshot: the worker reads it) and settles. */
export async function replay(stack: LocalStack, flow: string, id: string, settleIt = true): Promise<void> {
  const response = await fetch(
    `${stack.runtime.controlUrl}/replay?flow=${flow}&source=salesforce&id=${encodeURIComponent(id)}`,
    { method: 'POST' },
  );
  if (!response.ok) throw new Error(`replay failed: ${await response.text()}`);
  if (settleIt) await idle(stack);
}

/**
 * Waits until the queues are idle. The document tests hold outbound messages in the simulator
 * (its outbox never drains), so they wait on the pipeline alone.
 */
export async function idle(stack: LocalStack): Promise<void> {
  if (!(await status(stack, 30)).idle) throw new Error('the pipeline did not go idle in 30 s');
}

/** Runs the schedules one after another, each to idle queues. */
export async function quietPoll(stack: LocalStack, ...schedules: string[]): Promise<void> {
  for (const s of schedules) {
    await runSchedule(stack, s);
    await idle(stack);
  }
}

/** Moves the DLQ back to the jobs queue; answers how many moved. */
export async function quietRedrive(stack: LocalStack): Promise<number> {
  const response = await fetch(`${stack.runtime.controlUrl}/dlq/redrive`, { method: 'POST' });
  const moved = ((await response.json()) as { moved: number }).moved;
  await idle(stack);
  return moved;
}
