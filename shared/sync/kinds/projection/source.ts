/**
 * A projection's source: the Intacct fields it reads, the rows that belong to one record grouped
 * into one set of values (stock summed over warehouses), and the flow's conditions applied to rows
 * read by key. The poll and the worker's re-read share these, so both see the same figures.
 */
import type { ProjectionFlow } from '../../flow-schema.ts';
import type { SourceItem } from '../../kernel/source-state.ts';
import type { Values } from '../../mapping.ts';
import type { RecordsTarget } from '../../records-schema.ts';

/** The Intacct fields a projection reads (besides RECORDNO and WHENMODIFIED). */
export function projectionFields(flow: ProjectionFlow): string[] {
  const t = flow.target;
  if (t.type === 'records') return recordFields(flow, t);
  const own =
    t.type === 'fields'
      ? t.fields.flatMap((f) => [f.intacct, ...f.less])
      : [...t.entries.map((e) => e.price), t.activeField];
  return [...new Set([flow.intacctKeyField, ...own, ...flow.intacctFilter.map((c) => c.field)])];
}

/** The Intacct fields of the record itself a `records` target reads. */
export function recordFields(flow: ProjectionFlow, target: RecordsTarget): string[] {
  const related = new Set(target.related.map((r) => r.name));
  const names = [
    flow.intacctKeyField,
    ...target.fields.map((f) => f.intacct),
    ...target.key.map((k) => k.intacct),
    ...target.name,
    ...target.lookups.flatMap((l) => l.intacct),
    ...target.related.map((r) => r.on),
    ...flow.intacctFilter.map((c) => c.field),
  ];
  return [...new Set(names.filter((n) => !related.has(n.split('.')[0] ?? '')))];
}

/**
 * Takes each job's snapshot as its item's source when it is versioned and has every field the
 * projection reads; answers the items that must be re-read.
 */
export function fromSnapshots<T extends SourceItem>(items: readonly T[], fields: readonly string[]): T[] {
  const reread: T[] = [];
  for (const item of items) {
    const snap = item.job.snapshot;
    if (snap !== undefined && item.job.version !== undefined && fields.every((f) => f in snap))
      item.source = { id: item.id, version: item.job.version, values: { ...snap } };
    else reread.push(item);
  }
  return reread;
}

/** True when a row meets every condition of the flow (rows read by key, not by filter). */
export function meetsFilter(flow: ProjectionFlow, row: Values): boolean {
  return flow.intacctFilter.every((c) => {
    const v = row[c.field] ?? null;
    switch (c.op) {
      case 'isnull':
        return v === null;
      case 'isnotnull':
        return v !== null;
      case 'equalto':
        return v === (c.value ?? null);
      case 'notequalto':
        return v !== (c.value ?? null);
      case 'lessthan':
        return v !== null && Number(v) < Number(c.value);
      case 'greaterthan':
        return v !== null && Number(v) > Number(c.value);
      default:
        return v !== null && (c.values ?? []).includes(v);
    }
  });
}

/** Rows grouped by the flow's key into one set of values per record. */
export function aggregate(flow: ProjectionFlow, rows: readonly Values[]): Map<string, Values> {
  const groups = new Map<string, Values[]>();
  for (const row of rows) {
    const key = row[flow.intacctKeyField];
    if (key === null || key === undefined || key === '') continue;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const out = new Map<string, Values>();
  for (const [key, group] of groups) {
    const values: Values = { ...(group[0] as Values) };
    if (flow.target.type === 'fields')
      for (const f of flow.target.fields)
        if (f.aggregate === 'sum')
          for (const field of [f.intacct, ...f.less]) values[field] = sum(group.map((r) => r[field] ?? null));
    out.set(key, values);
  }
  return out;
}

/**
 * The sum of the numbers; blanks count as 0. A value that is not a number stays as it is (the first
 * such), so the kind can refuse it by name instead of writing a wrong total.
 */
function sum(values: ReadonlyArray<string | null>): string {
  let total = 0;
  for (const v of values) {
    if (v === null || v.trim() === '') continue;
    const n = Number(v);
    if (!Number.isFinite(n)) return v;
    total += n;
  }
  // Quantities carry up to 4 decimals in Intacct: round away binary noise.
  return String(Math.round(total * 10_000) / 10_000);
}
