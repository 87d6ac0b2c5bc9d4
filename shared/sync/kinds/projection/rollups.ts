/**
 * Roll-ups (DESIGN §4, projections): figures on the parents the projected records look up — an
 * Account's balance due and overdue amount, an Opportunity's invoice status — recomputed from
 * the child records in Salesforce after they were written: one read of the children and one of
 * the parents per batch, and one update of only the parents whose figures differ.
 *
 * Two invocations may roll up one parent at once, each after writing its own child. Each reads
 * the children again after its parent write; when they changed in between, it computes and
 * writes again. So the last parent write is computed from children that did not change before
 * it landed, and any later child write is followed by its own roll-up: the figures end right.
 */
import { SyncError } from '#shared/errors.ts';
import { payloadHash, type Values } from '../../mapping.ts';
import type { SideRecord } from '../../ports.ts';
import type { RecordsTarget } from '../../records-schema.ts';
import type { KindContext } from '../context.ts';

type Rollup = RecordsTarget['rollups'][number];
type RollupField = Rollup['fields'][number];

/** Rounds of read, write and check before the roll-up gives up (and the job retries). */
const ROUNDS = 4;

/**
 * Recomputes the roll-up's figures on `parentIds`. Answers how many parents it updated, and the
 * parents Salesforce refused to update (a validation rule, a locked record) with the reason: only
 * the records under those fail.
 */
export async function rollUp(
  context: KindContext,
  childObject: string,
  rollup: Rollup,
  parentIds: readonly string[],
): Promise<{ updated: number; refused: Map<string, SyncError> }> {
  const refused = new Map<string, SyncError>();
  if (parentIds.length === 0) return { updated: 0, refused };
  const childFields = [
    ...new Set([
      rollup.lookup,
      ...rollup.fields.flatMap((f) => [f.of, f.overdue?.field]).filter((f) => f !== undefined),
    ]),
  ];
  const readChildren = () => context.salesforce.findBy(childObject, childFields, rollup.lookup, parentIds);
  let children = await readChildren();
  let updated = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const figures = figuresOf(rollup, children, parentIds, context.now());
    const current = await context.salesforce.read(
      rollup.parent,
      rollup.fields.map((f) => f.salesforce),
      parentIds,
    );
    const ops = [...figures].flatMap(([id, values]) => {
      const record = current.get(id);
      if (record === undefined || record.deleted === true || refused.has(id)) return [];
      const changed = Object.fromEntries(
        Object.entries(values).filter(([f, v]) => !same(v, record.values[f] ?? null)),
      );
      return Object.keys(changed).length === 0
        ? []
        : [{ kind: 'update' as const, ref: id, id, values: changed, controlId: payloadHash(changed) }];
    });
    if (ops.length === 0) return { updated, refused };
    const results = await context.salesforce.write(rollup.parent, ops);
    for (const r of results)
      if (r.ok) updated++;
      else refused.set(r.ref, r.error);
    const after = await readChildren();
    if (fingerprint(after) === fingerprint(children)) return { updated, refused };
    children = after;
  }
  throw new SyncError(`the ${rollup.parent} roll-up did not settle: its children kept changing`, {
    code: 'ROLLUP_BUSY',
    retryable: true,
    hint: 'other jobs are writing the same records; the retry computes the figures again',
  });
}

/** The figures per parent (every parent named, so one whose last child left goes back to 0). */
export function figuresOf(
  rollup: Rollup,
  children: readonly SideRecord[],
  parentIds: readonly string[],
  now: Date,
): Map<string, Values> {
  const byParent = new Map<string, SideRecord[]>();
  for (const child of children) {
    const parent = child.values[rollup.lookup];
    if (parent) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  }
  const out = new Map<string, Values>();
  for (const parent of parentIds) {
    const group = byParent.get(parent) ?? [];
    out.set(parent, Object.fromEntries(rollup.fields.map((f) => [f.salesforce, figure(f, group, now)])));
  }
  return out;
}

function figure(f: RollupField, children: readonly SideRecord[], now: Date): string | null {
  const counted = f.overdue === undefined ? children : children.filter((c) => overdue(f, c, now));
  const values = counted.map((c) => (f.of === undefined ? null : (c.values[f.of] ?? null)));
  switch (f.aggregate) {
    case 'count':
      return String(counted.length);
    case 'sum':
      return money(values.reduce((s, v) => s + (v === null ? 0 : Number(v) || 0), 0));
    case 'latest': {
      const newest = [...counted].sort((a, b) => (a.version ?? '').localeCompare(b.version ?? '')).at(-1);
      return newest === undefined || f.of === undefined ? null : (newest.values[f.of] ?? null);
    }
    default: {
      const present = values.filter((v): v is string => v !== null && v !== '');
      if (present.length === 0) return null;
      const numeric = present.every((v) => Number.isFinite(Number(v)));
      const sorted = [...present].sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
      return (f.aggregate === 'max' ? sorted.at(-1) : sorted[0]) ?? null;
    }
  }
}

/** Before today less the days, with something left to pay (the `of` figure is not zero). */
function overdue(f: RollupField, child: SideRecord, now: Date): boolean {
  const date = child.values[f.overdue?.field ?? ''];
  if (!date) return false;
  const cutoff = new Date(now.getTime() - (f.overdue?.days ?? 0) * 86_400_000).toISOString().slice(0, 10);
  const amount = f.of === undefined ? 1 : Number(child.values[f.of] ?? 0);
  return date.slice(0, 10) < cutoff && amount !== 0;
}

const money = (n: number) => String(Math.round(n * 100) / 100);

/** Equal as numbers when both are ("1500" and "1500.0"), else as text; blank is null. */
function same(a: string | null, b: string | null): boolean {
  const x = a === '' ? null : a;
  const y = b === '' ? null : b;
  if (x === null || y === null) return x === y;
  const nx = Number(x);
  const ny = Number(y);
  return Number.isFinite(nx) && Number.isFinite(ny) ? nx === ny : x === y;
}

function fingerprint(children: readonly SideRecord[]): string {
  const rows = [...children]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => ({ ...c.values, Id: c.id, v: c.version ?? null }));
  return payloadHash(Object.fromEntries(rows.map((r, i) => [String(i), JSON.stringify(r)])));
}
