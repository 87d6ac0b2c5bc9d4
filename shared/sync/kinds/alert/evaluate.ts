/**
 * An alert's state from the figures: the first state whose condition holds, else the OK state;
 * and the figures it was decided on, for the Task that tells the owner what changed.
 */
import type { AlertCondition } from '../../alert-schema.ts';
import type { AlertFlow } from '../../flow-schema.ts';
import type { Values } from '../../mapping.ts';
import type { AlertItem } from './item.ts';

export function evaluate(
  flow: AlertFlow,
  values: Values,
  overdue: AlertItem['overdue'],
): { state: string; figures: Record<string, string | null> } {
  const figures: Record<string, string | null> = {};
  let state: string | undefined;
  for (const s of flow.states) {
    const holds = check(s.when, values, overdue, figures);
    if (holds && state === undefined) state = s.name;
  }
  return { state: state ?? flow.okState, figures };
}

function check(
  when: AlertCondition,
  values: Values,
  overdue: AlertItem['overdue'],
  figures: Record<string, string | null>,
): boolean {
  switch (when.type) {
    case 'flag': {
      const v = (values[when.field] ?? '').trim().toLowerCase();
      figures[when.field] = values[when.field] ?? null;
      return v === 'true' || v === '1' || v === 'yes';
    }
    case 'over-limit': {
      const total = Number(values[when.total] ?? 0);
      const limit = Number(values[when.limit] ?? '');
      figures[when.total] = values[when.total] ?? null;
      figures[when.limit] = values[when.limit] ?? null;
      // No limit (blank or 0) is no limit.
      return Number.isFinite(limit) && limit > 0 && Number.isFinite(total) && total > limit;
    }
    default: {
      figures['overdue invoices'] = String(overdue?.count ?? 0);
      figures['overdue amount'] = String(overdue?.amount ?? 0);
      if (overdue?.oldest !== undefined) figures['oldest due date'] = overdue.oldest;
      return (overdue?.count ?? 0) > 0;
    }
  }
}
