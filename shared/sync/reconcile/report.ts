/**
 * The reconciliation's comparison (DESIGN §5): both systems' full key sets and the links of one
 * mirror flow → linked and equal; linked and drifted (field by field, with the field's owner);
 * only in Salesforce; only in Intacct; links whose record is gone on either side; duplicates by
 * match key. Pure: the reads and the fixes are elsewhere.
 */
import type { MirrorFlow } from '../flow-schema.ts';
import { fieldPair, type Values } from '../mapping.ts';
import type { Link, SideRecord } from '../ports.ts';

/** How many entries of each list a report keeps (the counts are always complete). */
export const LIST_LIMIT = 200;

export interface Drift {
  salesforceId: string;
  intacctKey: string;
  fields: Array<{
    salesforce: string;
    intacct: string;
    owner: string;
    salesforceValue: string | null;
    intacctValue: string | null;
  }>;
  /** Which side each drifted field should come from: its owner, or for `latest` the side changed last. */
  from: Array<'salesforce' | 'intacct'>;
}

export interface ReconcileReport {
  flow: string;
  startedAt: string;
  finishedAt: string;
  counts: {
    salesforce: number;
    intacct: number;
    links: number;
    linkedEqual: number;
    drifted: number;
    onlyInSalesforce: number;
    onlyInIntacct: number;
    goneInSalesforce: number;
    goneInIntacct: number;
    duplicates: number;
  };
  drifted: Drift[];
  onlyInSalesforce: string[];
  onlyInIntacct: string[];
  goneInSalesforce: Array<{ salesforceId: string; intacctKey: string }>;
  goneInIntacct: Array<{ salesforceId: string; intacctKey: string }>;
  duplicates: Array<{ side: 'salesforce' | 'intacct'; field: string; value: string; ids: string[] }>;
  /** API calls the full reads cost (the crosswalk is read by one table scan besides). */
  cost: { salesforceCalls: number; intacctRequests: number };
  /** Jobs enqueued to repair the drift (`--fix`), by kind. */
  fix?: { enqueued: number; bySide: { salesforce: number; intacct: number } };
}

export function compare(
  flow: MirrorFlow,
  salesforce: ReadonlyMap<string, SideRecord>,
  intacct: ReadonlyMap<string, SideRecord>,
  links: readonly Link[],
): Omit<ReconcileReport, 'flow' | 'startedAt' | 'finishedAt' | 'cost'> {
  const drifted: Drift[] = [];
  const goneInSalesforce: ReconcileReport['goneInSalesforce'] = [];
  const goneInIntacct: ReconcileReport['goneInIntacct'] = [];
  let linkedEqual = 0;
  const linkedSf = new Set<string>();
  const linkedIa = new Set<string>();
  for (const link of links) {
    linkedSf.add(link.salesforceId);
    linkedIa.add(link.intacctKey);
    const sf = salesforce.get(link.salesforceId);
    const ia = intacct.get(link.intacctKey);
    const pair = { salesforceId: link.salesforceId, intacctKey: link.intacctKey };
    // A pair retired on purpose (deleted on one side, deactivated on the other) is no drift.
    if (link.inactive === true && (sf === undefined || ia === undefined)) continue;
    if (sf === undefined) goneInSalesforce.push(pair);
    if (ia === undefined) goneInIntacct.push(pair);
    if (sf === undefined || ia === undefined) continue;
    const drift = driftOf(flow, sf, ia);
    if (drift.length === 0) linkedEqual++;
    else
      drifted.push({
        ...pair,
        fields: drift,
        from: [...new Set(drift.map((d) => winner(d.owner, sf, ia)))],
      });
  }
  const onlyInSalesforce = [...salesforce.keys()].filter((id) => !linkedSf.has(id));
  const onlyInIntacct = [...intacct.keys()].filter((key) => !linkedIa.has(key));
  const duplicates = [
    ...duplicatesOf(
      'salesforce',
      salesforce,
      flow.matchKeys.map((m) => m.salesforce),
    ),
    ...duplicatesOf(
      'intacct',
      intacct,
      flow.matchKeys.map((m) => m.intacct),
    ),
  ];
  return {
    counts: {
      salesforce: salesforce.size,
      intacct: intacct.size,
      links: links.length,
      linkedEqual,
      drifted: drifted.length,
      onlyInSalesforce: onlyInSalesforce.length,
      onlyInIntacct: onlyInIntacct.length,
      goneInSalesforce: goneInSalesforce.length,
      goneInIntacct: goneInIntacct.length,
      duplicates: duplicates.length,
    },
    drifted,
    onlyInSalesforce,
    onlyInIntacct,
    goneInSalesforce,
    goneInIntacct,
    duplicates,
  };
}

function driftOf(flow: MirrorFlow, sf: SideRecord, ia: SideRecord): Drift['fields'] {
  const out: Drift['fields'] = [];
  for (const f of flow.fields) {
    const { salesforce, intacct } = fieldPair(
      f,
      sf.values[f.salesforce] ?? null,
      ia.values[f.intacct] ?? null,
    );
    if (salesforce !== intacct)
      out.push({
        salesforce: f.salesforce,
        intacct: f.intacct,
        owner: f.owner,
        salesforceValue: sf.values[f.salesforce] ?? null,
        intacctValue: ia.values[f.intacct] ?? null,
      });
  }
  return out;
}

/** The side a drifted field is repaired from. */
function winner(owner: string, sf: SideRecord, ia: SideRecord): 'salesforce' | 'intacct' {
  if (owner === 'salesforce' || owner === 'intacct') return owner;
  return Date.parse(ia.version ?? '') > Date.parse(sf.version ?? '') ? 'intacct' : 'salesforce';
}

function duplicatesOf(
  side: 'salesforce' | 'intacct',
  records: ReadonlyMap<string, SideRecord>,
  fields: readonly string[],
): ReconcileReport['duplicates'] {
  const out: ReconcileReport['duplicates'] = [];
  for (const field of fields) {
    const byValue = new Map<string, string[]>();
    for (const r of records.values()) {
      const v = (r.values as Values)[field];
      if (v === null || v === undefined || v.trim() === '') continue;
      const key = v.trim().toLowerCase();
      byValue.set(key, [...(byValue.get(key) ?? []), r.id]);
    }
    for (const [value, ids] of byValue) if (ids.length > 1) out.push({ side, field, value, ids });
  }
  return out;
}
