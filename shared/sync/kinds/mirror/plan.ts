/**
 * Plans one write per item: an update of only the fields that differ from the target (with
 * `latest` fields settled by timestamps on a real conflict), or a create with the target's key.
 * Salesforce creates are upserts on the external-ID key field, so a second create cannot add a
 * second record. Control IDs: one per (record, version, payload).
 */
import type { MirrorFlow } from '../../flow-schema.ts';
import { controlIds } from '../../kernel/control-ids.ts';
import { predatesOurWrite } from '../../kernel/source-state.ts';
import {
  canonical,
  diff,
  payloadHash,
  type Side,
  toIntacct,
  toSalesforce,
  type Values,
} from '../../mapping.ts';
import type { SideRecord, WriteOp } from '../../ports.ts';
import { isNotNewer, versionMs } from '../../versions.ts';
import { intacctKeyFor, type MirrorItem } from './item.ts';

export function plan(flow: MirrorFlow, to: Side, item: MirrorItem): WriteOp | undefined {
  const payload = { ...(item.payload as Values) };
  const source = item.source as SideRecord;
  if (item.target !== undefined) {
    // `latest` fields: only a real conflict — the target also changed since the last agreed state —
    // is settled by timestamps (the newer side wins; its own job carries it over). Our own writes
    // (write-backs, echoes) leave the agreed state as it was, so they never count as a change.
    // A delete is not a conflict: the deactivation it brings wins whatever changed meanwhile. Nor
    // is a target whose last change was our own write (a create whose server-set fields make its
    // hash differ, written after this change was made): its newer stamp is ours, not a user's.
    if (
      source.deleted !== true &&
      // No clock-skew margin here: a user's change a second after our write is still theirs.
      !predatesOurWrite(item.target.version, item.link, to, 0) &&
      targetChangedSinceSync(flow, to, item) &&
      versionMs(item.target.version) !== undefined &&
      !isNotNewer(item.target.version, source.version)
    ) {
      for (const f of flow.fields)
        if (f.owner === 'latest') delete payload[to === 'intacct' ? f.intacct : f.salesforce];
    }
    const current = { ...item.target.values, ...canonical(flow, to, item.target.values) };
    const changed = diff(payload, current);
    // A Salesforce record linked by match gets the Intacct key in its external-ID field here: no
    // Salesforce-side job may ever come to write it back (a one-way flow from Intacct).
    const keyField = flow.salesforceKeyField;
    if (to === 'salesforce' && keyField !== undefined && (item.target.values[keyField] ?? null) !== item.id)
      changed[keyField] = item.id;
    if (Object.keys(changed).length === 0) {
      item.outcome = { status: 'done', action: item.link === undefined ? 'link' : 'skip:no-change' };
      return undefined;
    }
    return {
      kind: 'update',
      ref: item.id,
      id: item.target.id,
      recordNo: item.target.recordNo,
      values: changed,
      controlId: controlIds.perVersion(flow.name, 'update', item.id, source.version, payloadHash(changed)),
    };
  }
  if (source.deleted === true) {
    item.outcome = { status: 'done', action: 'skip:deleted' };
    return undefined;
  }
  let upsertOn: string | undefined;
  if (to === 'intacct') {
    // Defaults for what Salesforce has no source for (an item's type); a mapped value wins.
    for (const [field, value] of Object.entries(flow.intacctDefaults))
      if ((payload[field] ?? null) === null) payload[field] = value;
    const key = intacctKeyFor(flow, item);
    if (flow.intacctKey !== undefined && key !== undefined) payload[flow.intacctKey.field] = key;
  } else if (flow.salesforceKeyField !== undefined) {
    payload[flow.salesforceKeyField] = item.id;
    upsertOn = flow.salesforceKeyField;
  }
  const values = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== null));
  return {
    kind: 'create',
    ref: item.id,
    values,
    controlId: controlIds.perVersion(flow.name, 'create', item.id, source.version, item.hash ?? ''),
    ...(upsertOn === undefined ? {} : { upsertOn }),
  };
}

/** True unless the target's mapped values still hash to what both sides last agreed on. */
function targetChangedSinceSync(flow: MirrorFlow, to: Side, item: MirrorItem): boolean {
  const link = item.link;
  const target = item.target;
  if (link === undefined || target === undefined || item.recreate === true) return true;
  const mapped = to === 'salesforce' ? toIntacct(flow, target.values) : toSalesforce(flow, target.values);
  const agreed = to === 'salesforce' ? link.hashToIntacct : link.hashToSalesforce;
  return payloadHash(mapped) !== agreed;
}
