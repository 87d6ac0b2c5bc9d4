/**
 * Finds existing targets for records with no usable link (DESIGN §3.2: link, don't duplicate).
 * Keys, in order: the ID the record would get (a create that committed before a crash is found,
 * not repeated), an Intacct ID already stored in Salesforce, then the flow's match keys. One query
 * per distinct target field, all at once (the Intacct client packs them into one request); matches
 * are then resolved key by key, and a target linked to another record is never taken.
 */
import { SyncError } from '#shared/errors.ts';
import type { MirrorFlow } from '../../flow-schema.ts';
import { linksBy } from '../../kernel/links.ts';
import type { SideRecord } from '../../ports.ts';
import type { KindContext } from '../context.ts';
import { type Direction, intacctKeyFor, linkId, type MirrorItem } from './item.ts';

type Key = { target: string; value: (i: MirrorItem) => string | null | undefined };

const usable = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

function keysOf(flow: MirrorFlow, dir: Direction): Key[] {
  const keys: Key[] = [];
  if (dir.to === 'intacct' && flow.intacctKey !== undefined) {
    const keyField = flow.intacctKey.field;
    keys.push({ target: keyField, value: (i) => intacctKeyFor(flow, i) });
    const sfKey = flow.salesforceKeyField;
    if (sfKey !== undefined) keys.push({ target: keyField, value: (i) => i.source?.values[sfKey] });
  }
  if (dir.to === 'salesforce' && flow.salesforceKeyField !== undefined)
    keys.push({ target: flow.salesforceKeyField, value: (i) => i.id });
  for (const m of flow.matchKeys) {
    const from = dir.to === 'salesforce' ? m.intacct : m.salesforce;
    keys.push({
      target: dir.to === 'salesforce' ? m.salesforce : m.intacct,
      value: (i) => i.source?.values[from],
    });
  }
  return keys;
}

export async function matchTargets(
  context: KindContext,
  flow: MirrorFlow,
  dir: Direction,
  items: readonly MirrorItem[],
): Promise<void> {
  const keys = keysOf(flow, dir);
  const { object, fields, port } = dir.target;
  let open = items.filter((i) => i.source?.deleted !== true);
  const valuesByField = new Map<string, Set<string>>();
  for (const key of keys) {
    const set = valuesByField.get(key.target) ?? new Set<string>();
    for (const item of open) {
      const v = key.value(item);
      if (usable(v)) set.add(v);
    }
    valuesByField.set(key.target, set);
  }
  const found = new Map<string, SideRecord[]>();
  await Promise.all(
    [...valuesByField].map(async ([field, values]) => {
      found.set(field, values.size === 0 ? [] : await port.findBy(object, fields, field, [...values]));
    }),
  );
  const allIds = [...new Set([...found.values()].flat().map((r) => r.id))];
  const taken = await linksBy(context.crosswalk, flow.name, dir.to, allIds);
  const claimed = new Map<string, { item: MirrorItem; matchedBy: Key }>();
  for (const key of keys) {
    const byValue = new Map<string, SideRecord[]>();
    for (const r of found.get(key.target) ?? []) {
      const v = String(r.values[key.target] ?? '');
      byValue.set(v, [...(byValue.get(v) ?? []), r]);
    }
    for (const item of open) {
      const value = key.value(item);
      if (!usable(value)) continue;
      const hits = byValue.get(value) ?? [];
      if (hits.length > 1) {
        item.outcome = dead(
          `${hits.length} ${object} records match ${key.target} = "${value}": ${hits
            .slice(0, 5)
            .map((h) => h.id)
            .join(', ')}${hits.length > 5 ? ', …' : ''}`,
          'AMBIGUOUS_MATCH',
          `make ${key.target} unique in ${dir.to}, or link the record by hand, then run sfi redrive`,
          { recordId: item.id, candidates: hits.map((h) => h.id) },
        );
        continue;
      }
      const hit = hits[0];
      if (hit === undefined) continue;
      const owner = taken.get(hit.id);
      const earlier = claimed.get(hit.id);
      const linkedElsewhere = owner !== undefined && linkId(owner, dir.from) !== item.id;
      // Claimed by a stronger key earlier in this batch counts as linked elsewhere too.
      if (linkedElsewhere || (earlier !== undefined && earlier.matchedBy !== key)) {
        item.outcome = dead(
          `${object} ${hit.id} matches by ${key.target} but is already linked to another record`,
          'MATCH_ALREADY_LINKED',
          'two source records share a match key; fix the duplicate at the source, then run sfi redrive',
          { recordId: item.id, target: hit.id },
        );
      } else if (earlier !== undefined) {
        // Two records of this batch match one target by the same key: linking either would be a guess.
        for (const rival of [item, earlier.item]) {
          rival.target = undefined;
          rival.outcome = dead(
            `${object} ${hit.id} matches more than one record by ${key.target} = "${value}"`,
            'MATCH_CONFLICT',
            `make ${key.target} unique at the source, or link the records by hand, then run sfi redrive`,
            { recordId: rival.id, target: hit.id },
          );
        }
      } else {
        item.target = hit;
        claimed.set(hit.id, { item, matchedBy: key });
      }
    }
    open = open.filter((i) => i.target === undefined && i.outcome === undefined);
  }
}

function dead(message: string, code: string, hint: string, meta: Record<string, unknown>) {
  return { status: 'dead' as const, error: new SyncError(message, { code, retryable: false, hint, meta }) };
}
