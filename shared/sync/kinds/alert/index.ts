/**
 * The `alert` kind (DESIGN §4): conditions on an Intacct record decide its state; the state shows
 * on the Salesforce record the `via` flow links (Account.Intacct_Credit_Status__c), and each
 * transition into a bad state owes one Task for the record's owner. Per batch: the Accounts by
 * links, the alert states kept on this flow's links, the records re-read (the state is now's),
 * the overdue invoices in one query; then a transition is stored first — a conditional link write
 * that only one of two concurrent jobs wins — and what it owes (status, Task) is done after and
 * marked done, so a crash or a repeat finds it owed, never owed twice.
 */
import { SyncError } from '#shared/errors.ts';
import type { AlertFlow } from '../../flow-schema.ts';
import { failed } from '../../kernel/failures.ts';
import { linksBy } from '../../kernel/links.ts';
import { resolveReferences } from '../../kernel/references.ts';
import { runStep } from '../../kernel/step.ts';
import { dedupe, fresh, pending } from '../../kernel/work-items.ts';
import type { SideRecord } from '../../ports.ts';
import type { KindContext, KindRunner } from '../context.ts';
import { evaluate } from './evaluate.ts';
import type { AlertItem } from './item.ts';
import { alertFields, readOverdue } from './source.ts';
import { owes, settle, storeAlerts, transition } from './state.ts';
import { ensureTasks } from './task.ts';

export const runAlert: KindRunner<AlertFlow> = async (context, flow, jobs) => {
  const items: AlertItem[] = dedupe(flow.name, jobs, context.logger);
  for (const item of items)
    if (item.job.source !== 'intacct') item.outcome = { status: 'done', action: 'skip:one-way' };
  await alert(context, flow, pending(items));
  const raced = items.filter(
    (i) => i.outcome?.status === 'retry' && i.outcome.error.code === 'LINK_CONFLICT',
  );
  if (raced.length > 0) {
    const again: AlertItem[] = raced.map(fresh);
    await alert(context, flow, again);
    for (const [n, item] of raced.entries()) item.outcome = again[n]?.outcome;
  }
  return items;
};

async function alert(context: KindContext, flow: AlertFlow, items: AlertItem[]): Promise<void> {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  // The record first: one that does not exist in Intacct is nothing to alert on, not a wait.
  await runStep(step('read source'), pending(items), async () => {
    const live = pending(items);
    const fields = ['RECORDNO', 'WHENMODIFIED', ...alertFields(flow)];
    const rows = await context.intacct.findBy(
      flow.intacctObject,
      fields,
      flow.intacctKeyField,
      live.map((i) => i.id),
    );
    const byKey = new Map(rows.map((r) => [r.values[flow.intacctKeyField] ?? '', r]));
    for (const item of live) {
      item.source = byKey.get(item.id);
      if (item.source === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
    }
  });
  await runStep(step('resolve references'), pending(items), () =>
    resolveReferences(context.crosswalk, pending(items), [
      {
        via: flow.via,
        side: 'intacct',
        valueOf: (i: AlertItem) => i.id,
        resolved: (i: AlertItem, link) => {
          i.salesforceId = link.salesforceId;
        },
      },
    ]),
  );
  await runStep(step('read links'), pending(items), async () => {
    const live = pending(items);
    const links = await linksBy(
      context.crosswalk,
      flow.name,
      'salesforce',
      live.map((i) => i.salesforceId as string),
    );
    for (const item of live) item.link = links.get(item.salesforceId as string);
  });
  await runStep(step('read overdue invoices'), pending(items), () =>
    readOverdue(context.intacct, flow, pending(items), context.now()),
  );
  const now = context.now().toISOString();
  for (const item of pending(items)) {
    item.next = evaluate(flow, item.source?.values ?? {}, item.overdue);
    item.planned = transition(flow, item, now);
  }
  // The transition is claimed by storing it: a concurrent job that saw the same one loses here.
  const moving = pending(items).filter((i) => i.planned !== undefined);
  await runStep(step('store transitions'), moving, () => storeAlerts(context, flow, moving), 'retry');
  const owing = pending(items).filter((i) => owes(i.link?.alert));
  for (const item of pending(items))
    if (!owing.includes(item)) item.outcome = { status: 'done', action: 'skip:no-change' };
  if (owing.length === 0) return;
  let accounts = new Map<string, SideRecord>();
  await runStep(step('read targets'), owing, async () => {
    accounts = await context.salesforce.read(
      flow.salesforceObject,
      [flow.statusField, 'OwnerId', 'Name'],
      owing.map((i) => i.salesforceId as string),
    );
    for (const item of owing) {
      const record = accounts.get(item.salesforceId as string);
      if (record === undefined || record.deleted === true)
        item.outcome = failed(
          new SyncError(
            `${flow.salesforceObject} ${item.salesforceId}, linked to ${item.id} by ${flow.via}, no longer exists`,
            {
              code: 'TARGET_MISSING',
              retryable: false,
              hint: `restore it from the recycle bin, or run "sfi unlink ${flow.via} ${item.salesforceId}"; then sfi redrive`,
            },
          ),
          flow.name,
          item.id,
          { salesforceId: item.salesforceId, intacctKey: item.id },
        );
    }
  });
  const statusDue = pending(owing).filter((i) => i.link?.alert?.statusWritten !== i.link?.alert?.state);
  await runStep(step('write status'), statusDue, async () => {
    const ops = statusDue
      .filter(
        (i) => accounts.get(i.salesforceId as string)?.values[flow.statusField] !== i.link?.alert?.state,
      )
      .map((i) => ({
        kind: 'update' as const,
        ref: i.id,
        id: i.salesforceId as string,
        values: { [flow.statusField]: i.link?.alert?.state ?? null },
        controlId: `${flow.name}:${i.id}:${i.link?.alert?.transitions}`,
      }));
    const results = ops.length === 0 ? [] : await context.salesforce.write(flow.salesforceObject, ops);
    for (const r of results) {
      const item = statusDue.find((i) => i.id === r.ref);
      if (item !== undefined && !r.ok)
        item.outcome = failed(r.error, flow.name, item.id, {
          salesforceId: item.salesforceId,
          intacctKey: item.id,
        });
    }
  });
  const taskDue = pending(owing).filter((i) => i.link?.alert?.task?.status === 'pending');
  let tasks = new Map<AlertItem, string>();
  await runStep(step('create tasks'), taskDue, async () => {
    tasks = await ensureTasks(context, flow, taskDue, accounts);
  });
  const settled = pending(owing);
  await runStep(step('store links'), settled, () => settle(context, flow, settled, tasks), 'retry');
}
