/**
 * The `documents` scenario (issue 17) on the bench stack: N closed-won Opportunities with L lines
 * each, on accounts and products already synced, become Intacct sales orders through one
 * salesforce-delta poll. Reported per document: Intacct requests, transactions and reads.
 */
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { measured } from './pipeline.ts';
import { createItems } from './products.ts';
import { progress, step } from './progress.ts';
import type { BenchStack, Simulators } from './stack.ts';
import type { PipelineRun } from './types.ts';
import { createAccounts, waitIdle } from './workload.ts';

/** Accounts the deals are spread over. */
const ACCOUNTS = 200;
/** Items the lines are drawn from. */
const ITEMS = 20;

/**
 * Won deals with `lines` lines each, round-robin over the accounts and items, as a rep would enter
 * them (one Opportunity, its products, Closed Won). Answers the Opportunity IDs.
 */
export function createWonDeals(
  sims: Simulators,
  tag: string,
  count: number,
  lines: number,
  accounts: readonly string[],
  entries: readonly string[],
): string[] {
  const standard = sims.salesforce.records('Pricebook2').find((b) => b.IsStandard === true)?.Id;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = sims.salesforce.asUser.create('Opportunity', {
      Name: `${tag} deal ${i + 1}`,
      AccountId: accounts[i % accounts.length],
      StageName: 'Closed Won',
      CloseDate: new Date().toISOString().slice(0, 10),
      Pricebook2Id: standard,
    });
    for (let l = 0; l < lines; l++)
      sims.salesforce.asUser.create('OpportunityLineItem', {
        OpportunityId: id,
        PricebookEntryId: entries[(i + l) % entries.length],
        Quantity: 1 + ((i + l) % 7),
        UnitPrice: 10 + l,
      });
    ids.push(id);
  }
  return ids;
}

/** Standard USD entries of the bench items, in item order. */
export function standardEntries(sims: Simulators, tag: string): string[] {
  const products = new Map(
    sims.salesforce
      .records('Product2')
      .filter((p) => String(p.ProductCode ?? '').startsWith(`${tag}-`))
      .map((p) => [String(p.Id), String(p.ProductCode)]),
  );
  return sims.salesforce
    .records('PricebookEntry')
    .filter((e) => products.has(String(e.Product2Id)) && e.CurrencyIsoCode === 'USD')
    .sort((a, b) =>
      String(products.get(String(a.Product2Id))).localeCompare(String(products.get(String(b.Product2Id)))),
    )
    .map((e) => String(e.Id));
}

export async function documents(
  stack: BenchStack,
  config: SyncConfig,
  n: number,
  lines: number,
): Promise<PipelineRun> {
  progress('documents: items, accounts and their sync (not measured)');
  createItems(stack, 'DX', ITEMS);
  await stack.runtime.runSchedule('intacct-delta');
  const accounts = createAccounts(stack, 'DA', ACCOUNTS);
  await stack.runtime.runSchedule('salesforce-delta');
  await waitIdle(stack, { timeoutMs: 10 * 60_000 });
  const entries = standardEntries(stack, 'DX');
  const deals = createWonDeals(stack, 'DOC', n, lines, accounts, entries);
  step(`documents: ${n} won deals with ${lines} lines each created in the Salesforce store`);
  const count = () => {
    const refs = new Set(deals);
    return stack.intacct.records('SODOCUMENT').filter((d) => refs.has(String(d.EXTERNALID))).length;
  };
  const m = await measured(stack, 'documents: sales orders', n, count, async () => {
    await stack.runtime.runSchedule('salesforce-delta');
  });
  const refs = new Set(deals);
  const docs = stack.intacct.records('SODOCUMENT').filter((d) => refs.has(String(d.EXTERNALID)));
  const perDeal = new Map<string, number>();
  for (const d of docs) perDeal.set(String(d.EXTERNALID), (perDeal.get(String(d.EXTERNALID)) ?? 0) + 1);
  const lineCount = (d: Record<string, unknown>) => {
    const e = (d.SODOCUMENTENTRIES as Record<string, unknown> | undefined)?.sodocumententry;
    return Array.isArray(e) ? e.length : e ? 1 : 0;
  };
  const writtenBack = stack.salesforce
    .records('Opportunity')
    .filter((o) => refs.has(String(o.Id)) && typeof o.Intacct_Document_Id__c === 'string').length;
  const c = m.costs.intacct;
  return {
    name: 'documents',
    records: n,
    changed: n,
    costs: m.costs,
    wallMs: m.wallMs,
    latencyMs: null,
    checks: {
      settled: m.settled,
      jobs: m.jobs,
      documents: docs.length,
      dealsWithOneDocument: [...perDeal.values()].filter((k) => k === 1).length,
      dealsWithSeveral: [...perDeal.values()].filter((k) => k > 1).length,
      linesPerDocument: docs.length === 0 ? 0 : docs.reduce((s, d) => s + lineCount(d), 0) / docs.length,
      writtenBack,
      intacctRequestsPerDocument: round(c.requests / Math.max(1, docs.length)),
      intacctTransactionsPerDocument: round(c.transactions / Math.max(1, docs.length)),
      intacctReadsPerDocument: round(c.reads / Math.max(1, docs.length)),
      salesforceCallsPerDocument: round(m.costs.salesforce.calls / Math.max(1, docs.length)),
      entities: config.flows.some((f) => f.kind === 'document') ? 'routed' : 'none',
    },
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
