/**
 * An alert's source: the Intacct fields its conditions read, and the open invoices past due per
 * record (one batched query for the batch, filtered by due date and amount in memory).
 */
import type { AlertFlow } from '../../flow-schema.ts';
import type { SystemPort } from '../../ports.ts';
import type { AlertItem } from './item.ts';

/** The Intacct fields of the record an alert reads (besides RECORDNO and WHENMODIFIED). */
export function alertFields(flow: AlertFlow): string[] {
  const fields = [flow.intacctKeyField, 'NAME'];
  for (const s of flow.states) {
    if (s.when.type === 'flag') fields.push(s.when.field);
    if (s.when.type === 'over-limit') fields.push(s.when.total, s.when.limit);
  }
  return [...new Set(fields)];
}

/** Intacct's MM/DD/YYYY as YYYY-MM-DD (ISO dates compare as text); anything else as it is. */
export function isoDate(value: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})/.exec(value.trim());
  return m === null ? value.trim() : `${m[3]}-${m[1]}-${m[2]}`;
}

/** Sets each item's overdue figures from the flow's `overdue` condition (if it has one). */
export async function readOverdue(
  intacct: SystemPort,
  flow: AlertFlow,
  items: readonly AlertItem[],
  now: Date,
): Promise<void> {
  const condition = flow.states.map((s) => s.when).find((w) => w.type === 'overdue');
  if (condition === undefined || condition.type !== 'overdue' || items.length === 0) return;
  const rows = await intacct.findBy(
    condition.object,
    [condition.keyField, condition.dueField, condition.amountField],
    condition.keyField,
    items.map((i) => i.id),
  );
  const cutoff = new Date(now.getTime() - condition.days * 86_400_000).toISOString().slice(0, 10);
  for (const item of items) item.overdue = { count: 0, amount: 0 };
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const row of rows) {
    const item = byId.get(row.values[condition.keyField] ?? '');
    const amount = Number(row.values[condition.amountField] ?? 0);
    const due = isoDate(row.values[condition.dueField] ?? '');
    if (item?.overdue === undefined || !(amount > 0) || due === '' || !(due < cutoff)) continue;
    item.overdue.count++;
    item.overdue.amount = Math.round((item.overdue.amount + amount) * 100) / 100;
    if (item.overdue.oldest === undefined || due < item.overdue.oldest) item.overdue.oldest = due;
  }
}
