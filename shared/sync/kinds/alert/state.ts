/**
 * An alert's state on its link (DESIGN §4 `alert`): the transition a record's new state makes
 * (first sight, into a bad state — owing a Task — or back to OK), stored by a conditional write
 * before anything is done about it, and settled (status written, Task made) after.
 */
import type { AlertFlow } from '../../flow-schema.ts';
import { type LinkEntry, storeLinks } from '../../kernel/links.ts';
import type { AlertState, Link } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import type { AlertItem } from './item.ts';

/** The state to store when it differs from the link's (a first sight counts transition 0). */
export function transition(flow: AlertFlow, item: AlertItem, now: string): AlertState | undefined {
  const next = item.next;
  if (next === undefined) return undefined;
  const prev = item.link?.intacctKey === item.id ? item.link.alert : undefined;
  if (prev !== undefined && prev.state === next.state) return undefined;
  const transitions = prev === undefined ? 0 : prev.transitions + 1;
  const bad = next.state !== flow.okState;
  const owesTask = bad && (prev !== undefined || flow.onFirstSight === 'task');
  return {
    state: next.state,
    ...(prev === undefined ? {} : { previous: prev.state }),
    since: now,
    transitions,
    figures: next.figures,
    ...(prev?.statusWritten === undefined ? {} : { statusWritten: prev.statusWritten }),
    ...(owesTask
      ? { task: { key: `${flow.name}:${item.id}:${transitions}`, status: 'pending' as const } }
      : {}),
  };
}

export const owes = (a: AlertState | undefined) =>
  a !== undefined && (a.statusWritten !== a.state || a.task?.status === 'pending');

function linkOf(flow: AlertFlow, item: AlertItem, alert: AlertState, action: string, now: string): Link {
  return {
    ...(item.link ?? {}),
    flow: flow.name,
    salesforceId: item.salesforceId as string,
    intacctKey: item.id,
    intacctVersion: item.source?.version,
    lastAction: action,
    lastAt: now,
    lastReason: item.job.reason,
    lastCorrelationId: item.job.correlationId,
    alert,
  };
}

export async function storeAlerts(context: KindContext, flow: AlertFlow, items: AlertItem[]): Promise<void> {
  const now = context.now().toISOString();
  const entries: Array<LinkEntry<AlertItem>> = items.map((item) => ({
    item,
    link: linkOf(flow, item, item.planned as AlertState, `alert:${item.planned?.state}`, now),
    expected: item.link,
    pointer: false,
  }));
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored) {
    item.link = link;
    item.logger.info('alert state changed', {
      state: link.alert?.state,
      previous: link.alert?.previous,
      transitions: link.alert?.transitions,
    });
  }
}

/** Marks what was done on the link: the status written, the Task made (by its ID). */
export async function settle(
  context: KindContext,
  flow: AlertFlow,
  items: AlertItem[],
  tasks: ReadonlyMap<AlertItem, string>,
): Promise<void> {
  const now = context.now().toISOString();
  const entries: Array<LinkEntry<AlertItem>> = [];
  for (const item of items) {
    const current = item.link?.alert as AlertState;
    const taskId = tasks.get(item);
    if (current.task?.status === 'pending' && taskId === undefined) continue;
    const alert: AlertState = {
      ...current,
      statusWritten: current.state,
      ...(current.task === undefined || taskId === undefined
        ? {}
        : { task: { ...current.task, status: 'created' as const, id: taskId } }),
    };
    entries.push({
      item,
      link: linkOf(flow, item, alert, taskId === undefined ? 'update' : 'create', now),
      expected: item.link,
      pointer: false,
    });
  }
  const stored = await storeLinks(context.crosswalk, entries);
  for (const [item, link] of stored) {
    item.outcome = { status: 'done', action: link.lastAction };
    if (tasks.has(item))
      item.logger.info('task created', { taskId: link.alert?.task?.id, state: link.alert?.state });
  }
}
