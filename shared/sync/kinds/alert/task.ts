/**
 * One Task per transition into a bad state, exactly once (DESIGN §4 `alert`): Salesforce has no
 * idempotency key for a create, so the transition's key is claimed in the crosswalk first, then
 * looked for on Task (a create whose answer was lost is found, not repeated), and only then
 * created — for the Account's owner, high priority, due today, saying what changed.
 */
import { SyncError } from '#shared/errors.ts';
import type { AlertFlow } from '../../flow-schema.ts';
import { claimAll } from '../../kernel/claims.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { failed } from '../../kernel/failures.ts';
import type { SideRecord } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import type { AlertItem } from './item.ts';

/** Creates the owed Tasks; answers the Task ID per item that has one now (found or created). */
export async function ensureTasks(
  context: KindContext,
  flow: AlertFlow,
  items: readonly AlertItem[],
  accounts: ReadonlyMap<string, SideRecord>,
): Promise<Map<AlertItem, string>> {
  const out = new Map<AlertItem, string>();
  const keyOf = (i: AlertItem) => i.link?.alert?.task?.key as string;
  const held = await claimAll(
    flow.name,
    items,
    (i) => context.crosswalk.claim(flow.name, `task#${keyOf(i)}`, context.owner, context.claimTtlSeconds),
    (i) => ({ salesforceId: i.salesforceId, intacctKey: i.id }),
  );
  if (held.length === 0) return out;
  const keyField = flow.task.keyField;
  const found = await context.salesforce.findBy('Task', [keyField], keyField, held.map(keyOf));
  const byKey = new Map(found.map((t) => [t.values[keyField] ?? '', t.id]));
  const creating: AlertItem[] = [];
  for (const item of held) {
    const id = byKey.get(keyOf(item));
    if (id === undefined) creating.push(item);
    else out.set(item, id);
  }
  if (creating.length === 0) return out;
  const results = await context.salesforce.write(
    'Task',
    creating.map((item) => ({
      kind: 'create' as const,
      ref: keyOf(item),
      values: taskValues(flow, item, accounts.get(item.salesforceId as string), context.now()),
      controlId: controlIds.perTransition(
        flow.name,
        item.id,
        item.link?.alert?.state ?? '',
        item.link?.alert?.since ?? '',
      ),
    })),
  );
  const byRef = new Map(results.map((r) => [r.ref, r]));
  for (const item of creating) {
    const r = byRef.get(keyOf(item));
    if (r?.ok === true) {
      out.set(item, r.id);
      continue;
    }
    // Its outcome is unknown or refused: the claim stays until it expires, then the next try
    // finds the Task if it was made after all.
    item.outcome = failed(
      r === undefined
        ? new SyncError('no result for the Task create', { code: 'INTERNAL', retryable: true })
        : r.error,
      flow.name,
      item.id,
      { salesforceId: item.salesforceId, intacctKey: item.id },
    );
  }
  return out;
}

function taskValues(
  flow: AlertFlow,
  item: AlertItem,
  account: SideRecord | undefined,
  now: Date,
): Record<string, string | null> {
  const alert = item.link?.alert;
  const name = account?.values.Name ?? item.id;
  const figures = Object.entries(alert?.figures ?? {})
    .map(([k, v]) => `${k}: ${v ?? '(blank)'}`)
    .join('\n');
  const due = new Date(now.getTime() + flow.task.dueInDays * 86_400_000).toISOString().slice(0, 10);
  return {
    Subject: `${flow.task.subject}: ${alert?.state ?? ''} — ${name}`.slice(0, 255),
    Description: [
      `${name} (Intacct customer ${item.id}) is now "${alert?.state}"${alert?.previous ? `, was "${alert.previous}"` : ''}, since ${alert?.since}.`,
      figures,
      'From the Intacct sync; the Account shows the current credit status.',
    ]
      .filter((l) => l !== '')
      .join('\n\n'),
    Priority: flow.task.priority,
    Status: 'Not Started',
    ActivityDate: due,
    WhatId: item.salesforceId ?? null,
    OwnerId: account?.values.OwnerId ?? null,
    [flow.task.keyField]: alert?.task?.key ?? null,
  };
}
