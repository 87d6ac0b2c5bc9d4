/**
 * The IDs a document needs from other flows (DESIGN §4 "References"): the customer through the
 * account flow's links — an account that is not synced yet is synced first, within this job, by
 * the account flow itself ("look up or create the customer") — and each line's item through the
 * product flow's links, else the product code as ITEMID.
 */
import { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { DocumentFlow } from '../../document-schema.ts';
import { mirrorFlow } from '../../flows.ts';
import { linksBy } from '../../kernel/links.ts';
import { pending } from '../../kernel/work-items.ts';
import type { KindContext } from '../context.ts';
import { runMirror } from '../mirror/index.ts';
import { type DocumentItem, refuse } from './item.ts';

export async function resolveCustomers(
  context: KindContext,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  const accountOf = (i: DocumentItem) => i.source?.values[flow.customer.field] ?? '';
  for (const item of items)
    if (accountOf(item) === '')
      refuse(
        flow,
        item,
        'DOCUMENT_CUSTOMER_MISSING',
        `${flow.salesforceObject} ${item.id} has no ${flow.customer.field}`,
        `set ${flow.customer.field} on the record, then run sfi redrive`,
      );
  const live = pending(items);
  const accounts = [...new Set(live.map(accountOf))];
  let links = await linksBy(context.crosswalk, flow.customer.via, 'salesforce', accounts);
  const unsynced = accounts.filter((a) => !links.has(a));
  const synced = new Map<string, SyncError | undefined>();
  if (unsynced.length > 0) {
    // The account flow syncs them now, with every guarantee it has (match before create, claims).
    const accountFlow = mirrorFlow(context.flows, flow.customer.via);
    const first = live.find((i) => unsynced.includes(accountOf(i)));
    const jobs = unsynced.map((id) => ({
      messageId: `parent:${id}`,
      job: parentJob(accountFlow, id, first?.job, context.now()),
    }));
    for (const result of await runMirror(context, accountFlow, jobs))
      synced.set(result.id, result.outcome?.status === 'done' ? undefined : result.outcome?.error);
    links = await linksBy(context.crosswalk, flow.customer.via, 'salesforce', accounts);
  }
  for (const item of live) {
    const link = links.get(accountOf(item));
    if (link !== undefined) {
      item.customerId = link.intacctKey;
      continue;
    }
    const error = synced.get(accountOf(item));
    if (error?.retryable === false)
      refuse(
        flow,
        item,
        'DOCUMENT_CUSTOMER_FAILED',
        `the account ${accountOf(item)} could not be synced to an Intacct customer: ${error.message}`,
        error.hint ?? `fix the account's failure (flow ${flow.customer.via}), then run sfi redrive`,
      );
    else
      item.outcome = {
        status: 'retry',
        error: new SyncError(`account ${accountOf(item)} (flow ${flow.customer.via}) is not synced yet`, {
          code: 'PARENT_NOT_SYNCED',
          retryable: true,
          hint:
            error?.message ??
            `the account syncs first; if it never does, check the ${flow.customer.via} failures`,
          meta: { recordId: item.id, parent: accountOf(item) },
        }),
      };
  }
}

function parentJob(
  flow: { name: string; salesforceObject: string },
  id: string,
  child: Job | undefined,
  at: Date,
): Job {
  return {
    v: 1,
    flow: flow.name,
    source: 'salesforce',
    object: flow.salesforceObject,
    recordId: id,
    reason: child?.reason ?? 'delta',
    correlationId: `${child?.correlationId ?? 'document'}:parent:${id}`,
    enqueuedAt: at.toISOString(),
  };
}

/** ITEMID per line: the product's link in the product flow, else its code; no lines, no document. */
export async function resolveItems(
  context: KindContext,
  flow: DocumentFlow,
  items: readonly DocumentItem[],
): Promise<void> {
  const { item: spec } = flow.lines;
  for (const item of items)
    if (item.rows !== undefined && item.rows.length === 0)
      refuse(
        flow,
        item,
        'DOCUMENT_NO_LINES',
        `${flow.salesforceObject} ${item.id} has no lines`,
        `add products to it (or set lines.whenEmpty in flow ${flow.name} to bill the amount as one line), then run sfi redrive`,
      );
  const live = pending(items);
  const rowsOf = (i: DocumentItem) => i.rows ?? [];
  const products = live.flatMap((i) => rowsOf(i).map((r) => r[spec.field] ?? '')).filter((p) => p !== '');
  const links = await linksBy(context.crosswalk, spec.via, 'salesforce', [...new Set(products)]);
  for (const item of live)
    item.itemIds = rowsOf(item).map(
      (r) => links.get(r[spec.field] ?? '')?.intacctKey ?? r[spec.codeField] ?? '',
    );
}
