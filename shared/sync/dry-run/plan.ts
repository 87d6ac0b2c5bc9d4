/**
 * A dry run's plan: per work item (one record, one direction) the action the worker decided —
 * create, update, link, skip or fail — with both IDs where known and the diffs of the writes it
 * would have made, and the counts over all of them.
 */
import type { WorkItem } from '../kernel/work-items.ts';
import type { Link } from '../ports.ts';
import { isFabricated, type PlannedWrite } from './recorder.ts';

export const PLAN_ACTIONS = ['create', 'update', 'link', 'skip', 'fail'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export interface PlanItem {
  action: PlanAction;
  /** The side the job came from and its record ID there. */
  source: 'salesforce' | 'intacct';
  recordId: string;
  salesforceId?: string;
  intacctKey?: string;
  /** The kernel's own word for it (`skip:unchanged`, `link+update`, …). */
  detail?: string;
  /** `Object.FIELD: from → to` of every write it would make (a create's from is null). */
  diff?: PlannedWrite['diff'];
  /** Failures: the code, message and fix the failure log would hold, and whether it retries. */
  code?: string;
  message?: string;
  hint?: string;
  retryable?: boolean;
}

const UPDATES = new Set(['update', 'link+update', 'reactivate']);

/** The plan's word for a kernel outcome; an action the kinds name otherwise is an update when it writes. */
export function planAction(outcome: WorkItem['outcome'], writes: number): PlanAction {
  if (outcome === undefined || outcome.status !== 'done') return 'fail';
  const action = outcome.action;
  if (action === 'create' || action === 'recreate') return 'create';
  if (UPDATES.has(action)) return 'update';
  if (action === 'link') return 'link';
  if (action.startsWith('skip') || action === 'unlink') return 'skip';
  return writes > 0 ? 'update' : 'skip';
}

/**
 * The plan items of one batch. `links` are the pairs as the run left them (by Salesforce ID and
 * by Intacct key); `writes` the batch's writes, tied to an item by the record they were for.
 */
export function planItems(
  items: readonly WorkItem[],
  writes: readonly PlannedWrite[],
  links: { bySalesforceId: ReadonlyMap<string, Link>; byIntacctKey: ReadonlyMap<string, Link> },
): PlanItem[] {
  const byRef = new Map<string, PlannedWrite[]>();
  for (const w of writes) byRef.set(w.ref, [...(byRef.get(w.ref) ?? []), w]);
  return items.map((item) => {
    const { source, recordId } = item.job;
    const link =
      source === 'salesforce' ? links.bySalesforceId.get(recordId) : links.byIntacctKey.get(recordId);
    const meta = item.outcome?.status === 'done' ? {} : (item.outcome?.error.meta ?? {});
    const salesforceId = known(
      source === 'salesforce' ? recordId : (link?.salesforceId ?? str(meta.salesforceId)),
    );
    const intacctKey = known(source === 'intacct' ? recordId : (link?.intacctKey ?? str(meta.intacctKey)));
    const mine = [
      ...new Set([recordId, salesforceId, intacctKey].filter((id): id is string => id !== undefined)),
    ].flatMap((id) => byRef.get(id) ?? []);
    const diff = Object.assign({}, ...mine.map((w) => w.diff)) as PlannedWrite['diff'];
    const outcome = item.outcome;
    return {
      action: planAction(outcome, mine.length),
      source,
      recordId,
      ...(salesforceId === undefined ? {} : { salesforceId }),
      ...(intacctKey === undefined ? {} : { intacctKey }),
      ...(outcome?.status === 'done' ? { detail: outcome.action } : {}),
      ...(Object.keys(diff).length === 0 ? {} : { diff }),
      ...(outcome === undefined
        ? { code: 'INTERNAL', message: 'no outcome', retryable: true }
        : outcome.status === 'done'
          ? {}
          : {
              code: outcome.error.code,
              message: outcome.error.message,
              ...(outcome.error.hint === undefined ? {} : { hint: outcome.error.hint }),
              retryable: outcome.status === 'retry',
            }),
    };
  });
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
/** An ID a real system has (not one this run made up). */
const known = (id: string | undefined) => (id === undefined || isFabricated(id) ? undefined : id);

/** Zero counts for every action. */
export const noCounts = (): Record<PlanAction, number> => ({
  create: 0,
  update: 0,
  link: 0,
  skip: 0,
  fail: 0,
});

/** Lambda answers at most 6 MB; the items give way (counts stay whole). */
const MAX_RESPONSE_BYTES = 5_000_000;

/** The items that fit the response beside the rest of it: halved until the JSON fits. */
export function fitItems<T extends { items: PlanItem[] }>(result: T): T & { truncated: boolean } {
  let items = result.items;
  const size = (list: PlanItem[]) => Buffer.byteLength(JSON.stringify({ ...result, items: list }));
  while (items.length > 0 && size(items) > MAX_RESPONSE_BYTES)
    items = items.slice(0, Math.floor(items.length / 2));
  return { ...result, items, truncated: items.length < result.items.length };
}
