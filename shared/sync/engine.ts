/**
 * The sync engine (DESIGN §5): for one flow's batch of jobs, per direction — dedupe by record, use
 * versioned snapshots or re-read in bulk, load crosswalk links in bulk, skip stale and unchanged
 * records, find existing targets by match keys before any create, plan create / update / skip /
 * fail honouring field owners, write in batches, write IDs back, record links and stats.
 */

import type { FlowProcessor, Outcome } from '#functions/worker/use-case.ts';
import type { Crosswalk, Link } from '#shared/aws/crosswalk.ts';
import type { Ledger } from '#shared/aws/ledger.ts';
import { SyncError } from '#shared/errors.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { controlId } from './control-id.ts';
import type { FlowConfig } from './flow-schema.ts';
import {
  canonical,
  currentState,
  diff,
  fieldsToRead,
  payloadHash,
  type Side,
  toIntacct,
  toSalesforce,
  type Values,
} from './mapping.ts';
import type { SideRecord, SystemPort, WriteOp } from './ports.ts';
import { isNotNewer, isOlder, versionMs } from './versions.ts';

export interface EngineDeps {
  flows: readonly FlowConfig[];
  salesforce: SystemPort;
  intacct: SystemPort;
  crosswalk: Crosswalk;
  ledger: Ledger;
  logger: Logger;
  now?: () => Date;
  /** Called once per flow batch with its counts (the worker turns them into EMF metrics). */
  onCounts?: (flow: string, counts: { received: number } & Counts) => void;
}

type Counts = { created: number; updated: number; skipped: number; failed: number };

/** One record's work item within a direction: its jobs (deduplicated), source state, link, plan. */
interface Item {
  id: string;
  messageIds: string[];
  job: Job;
  source?: SideRecord;
  link?: Link;
  target?: SideRecord;
  payload?: Values;
  hash?: string;
  /** The values this run wrote to the target, for the audit on the link. */
  written?: Values;
  outcome?: { status: 'done'; action: string } | { status: 'retry' | 'dead'; error: SyncError };
}

export function makeSyncEngine(deps: EngineDeps): FlowProcessor {
  const now = deps.now ?? (() => new Date());
  const flows = new Map(deps.flows.map((f) => [f.name, f]));

  return async (flowName, jobs) => {
    const flow = flows.get(flowName);
    if (flow === undefined)
      throw new SyncError(`flow ${flowName} has no configuration`, {
        code: 'FLOW_UNKNOWN',
        retryable: false,
      });
    const counts: Counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
    const outcomes: Outcome[] = [];
    for (const from of ['salesforce', 'intacct'] as const) {
      const mine = jobs.filter((j) => j.job.source === from);
      if (mine.length === 0) continue;
      const oneWay =
        (from === 'salesforce' && flow.direction === 'toSalesforce') ||
        (from === 'intacct' && flow.direction === 'toIntacct');
      const items = dedupe(mine);
      if (oneWay) for (const item of items) item.outcome = { status: 'done', action: 'skip:one-way' };
      else await syncDirection(flow, from, items);
      for (const item of items) {
        const o = item.outcome ?? { status: 'retry' as const, error: internal('no outcome') };
        if (o.status === 'done') {
          if (o.action === 'create') counts.created++;
          else if (o.action === 'update' || o.action === 'link+update') counts.updated++;
          else counts.skipped++;
          for (const messageId of item.messageIds) outcomes.push({ messageId, status: 'done' });
        } else {
          if (o.status === 'dead') counts.failed++;
          for (const messageId of item.messageIds) {
            outcomes.push(
              o.status === 'dead'
                ? { messageId, status: 'dead', error: o.error, job: item.job }
                : { messageId, status: 'retry', error: o.error },
            );
          }
        }
      }
    }
    await deps.ledger.addStats(flow.name, now().toISOString().slice(0, 10), {
      received: jobs.length,
      ...counts,
    });
    deps.onCounts?.(flow.name, { received: jobs.length, ...counts });
    return outcomes;
  };

  async function syncDirection(flow: FlowConfig, from: Side, items: Item[]): Promise<void> {
    const to: Side = from === 'salesforce' ? 'intacct' : 'salesforce';
    const sourcePort = port(from);
    const targetPort = port(to);
    const sourceObject = from === 'salesforce' ? flow.salesforceObject : flow.intacctObject;
    const targetObject = to === 'salesforce' ? flow.salesforceObject : flow.intacctObject;
    const sourceFields = fieldsToRead(flow, from);
    const targetFields = fieldsToRead(flow, to);

    // 1. Links first: they decide whether a job's snapshot can be trusted.
    await step(items, async () => {
      const ids = items.map((i) => i.id);
      const links =
        from === 'salesforce'
          ? await deps.crosswalk.bySalesforceIds(flow.name, ids)
          : await deps.crosswalk.byIntacctKeys(flow.name, ids);
      for (const item of items) item.link = links.get(item.id);
    });

    // 2. Source state: a complete versioned snapshot taken after our last write to this side, or a
    // batched re-read. A snapshot from before our write would carry values we have since replaced
    // (the other side's newer change) and, having no newer version, could not be told apart.
    const reread: Item[] = [];
    for (const item of pending(items)) {
      const snap = item.job.snapshot;
      const complete =
        snap !== undefined && item.job.version !== undefined && sourceFields.every((f) => f in snap);
      if (complete && !predatesOurWrite(item.job.version, item.link, from)) {
        item.source = {
          id: item.id,
          version: item.job.version,
          recordNo: snap.RECORDNO ?? undefined,
          values: { ...snap },
        };
      } else reread.push(item);
    }
    await step(reread, async () => {
      const found = await sourcePort.read(
        sourceObject,
        sourceFields,
        reread.map((i) => i.id),
      );
      for (const item of reread) {
        item.source = found.get(item.id);
        if (item.source === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
      }
    });

    // Then stale / unchanged / deleted decisions.
    let live = pending(items);
    await step(live, () => resolveParents(flow, from, live));
    for (const item of pending(items)) decide(flow, from, item);

    // 3. Targets: linked ones by ID, the others by match keys (link, don't duplicate).
    live = pending(items);
    const linked = live.filter((i) => i.link !== undefined);
    await step(linked, async () => {
      const ids = linked.map((i) => targetIdOf(i.link as Link, to));
      const found = await targetPort.read(targetObject, targetFields, ids);
      for (const item of linked) {
        item.target = found.get(targetIdOf(item.link as Link, to));
        // The linked record was deleted on the target side (Salesforce's recycle bin): nothing to write to.
        if (item.target?.deleted === true) item.outcome = { status: 'done', action: 'skip:target-deleted' };
      }
    });
    const unlinked = live.filter((i) => i.target === undefined);
    await step(unlinked, () => matchTargets(flow, to, unlinked));

    // 4. Plan and write.
    const ops: WriteOp[] = [];
    for (const item of pending(items)) {
      const op = plan(flow, to, item);
      if (op !== undefined) ops.push(op);
    }
    const writing = pending(items).filter((i) => ops.some((o) => o.ref === i.id));
    await step(writing, async () => {
      for (const result of await targetPort.write(targetObject, ops)) {
        const item = writing.find((i) => i.id === result.ref);
        const op = ops.find((o) => o.ref === result.ref);
        if (item === undefined || op === undefined) continue;
        if (!result.ok) {
          item.outcome = failure(result.error, flow, from, item);
          continue;
        }
        const action = op.kind === 'create' ? 'create' : item.link === undefined ? 'link+update' : 'update';
        item.written = op.values;
        item.target = {
          id: result.id,
          recordNo: result.recordNo ?? item.target?.recordNo,
          values: { ...item.target?.values, ...op.values },
        };
        item.outcome = { status: 'done', action };
      }
    });

    // 5. Write the Intacct key back to Salesforce, then record links.
    await writeBack(flow, from, items);
    const linking = items.filter(
      (i) =>
        i.outcome?.status === 'done' &&
        i.source !== undefined &&
        i.target !== undefined &&
        // A no-op costs no write — except when the target already held the values but the link's
        // hash did not say so: recording it once spares every later job a target read.
        !(
          i.outcome.action.startsWith('skip') &&
          i.link !== undefined &&
          i.outcome.action !== 'skip:no-change'
        ),
    );
    await step(linking, () => recordLinks(flow, from, linking), 'retry');
  }

  function port(side: Side): SystemPort {
    return side === 'salesforce' ? deps.salesforce : deps.intacct;
  }

  /** Runs one batched step; if it throws, every item it covered gets the failure as its outcome. */
  async function step(items: Item[], fn: () => Promise<void>, force?: 'retry'): Promise<void> {
    if (items.length === 0) return;
    try {
      await fn();
    } catch (error) {
      const e = wrap(error, 'STEP_FAILED');
      if (force === 'retry') {
        for (const item of items) item.outcome = { status: 'retry', error: e };
        return;
      }
      deps.logger.warn('sync step failed', { code: e.code, retryable: e.retryable, records: items.length });
      for (const item of items)
        if (item.outcome === undefined)
          item.outcome = e.retryable ? { status: 'retry', error: e } : { status: 'dead', error: e };
    }
  }

  /**
   * Maps a Salesforce lookup (e.g. Contact.AccountId) to the parent's Intacct key. One way only:
   * Intacct has no lookup to resolve back, so a record created from Intacct gets no parent.
   */
  async function resolveParents(flow: FlowConfig, from: Side, items: Item[]): Promise<void> {
    const parent = flow.parent;
    if (parent === undefined || from !== 'salesforce') return;
    const field = from === 'salesforce' ? parent.salesforceField : parent.intacctField;
    const refs = items
      .map((i) => i.source?.values[field])
      .filter((v): v is string => typeof v === 'string' && v !== '');
    const links =
      from === 'salesforce'
        ? await deps.crosswalk.bySalesforceIds(parent.flow, refs)
        : await deps.crosswalk.byIntacctKeys(parent.flow, refs);
    for (const item of items) {
      const ref = item.source?.values[field];
      const out = from === 'salesforce' ? parent.intacctField : parent.salesforceField;
      // No parent in Salesforce: leave Intacct's value alone (it may hold a company name typed there).
      if (typeof ref !== 'string' || ref === '') continue;
      const link = links.get(ref);
      if (link === undefined) {
        item.outcome = {
          status: 'retry',
          error: new SyncError(`parent ${ref} (flow ${parent.flow}) is not synced yet`, {
            code: 'PARENT_NOT_SYNCED',
            retryable: true,
            hint: `the parent record syncs first; if it never does, check the ${parent.flow} failures`,
            meta: { recordId: item.id, parent: ref },
          }),
        };
      } else item.payload = { [out]: from === 'salesforce' ? link.intacctKey : link.salesforceId };
    }
  }

  function decide(flow: FlowConfig, from: Side, item: Item): void {
    const source = item.source as SideRecord;
    const link = item.link;
    const mapped = from === 'salesforce' ? toIntacct(flow, source.values) : toSalesforce(flow, source.values);
    item.payload = { ...mapped, ...item.payload };
    item.hash = payloadHash(item.payload);
    if (source.deleted === true) {
      item.outcome = { status: 'done', action: 'skip:deleted' };
      if (
        from === 'salesforce' &&
        link !== undefined &&
        flow.onSalesforceDelete === 'deactivate' &&
        link.inactive !== true
      ) {
        item.outcome = undefined;
        item.payload = { STATUS: 'inactive' };
        item.hash = payloadHash(item.payload);
      }
      return;
    }
    if (link === undefined) return;
    const syncedVersion = from === 'salesforce' ? link.salesforceVersion : link.intacctVersion;
    if (isOlder(source.version, syncedVersion)) {
      item.outcome = { status: 'done', action: 'skip:stale' };
      return;
    }
    const syncedHash = from === 'salesforce' ? link.hashToIntacct : link.hashToSalesforce;
    if (syncedHash === item.hash) item.outcome = { status: 'done', action: 'skip:unchanged' };
  }

  /**
   * Finds existing targets for records with no link. Keys, in order: the ID the record would get
   * (a create that committed before a crash is found, not repeated), an Intacct ID already stored
   * in Salesforce, then the flow's match keys. One query per distinct target field, all at once
   * (the Intacct client packs them into one request); matches are then resolved key by key.
   */
  async function matchTargets(flow: FlowConfig, to: Side, items: Item[]): Promise<void> {
    const targetObject = to === 'salesforce' ? flow.salesforceObject : flow.intacctObject;
    const fields = fieldsToRead(flow, to);
    const keys: Array<{ target: string; value: (i: Item) => string | null | undefined }> = [];
    if (to === 'intacct' && flow.intacctKey !== undefined) {
      const keyField = flow.intacctKey.field;
      keys.push({ target: keyField, value: (i) => intacctKeyFor(flow, i) });
      const sfKey = flow.salesforceKeyField;
      if (sfKey !== undefined) keys.push({ target: keyField, value: (i) => i.source?.values[sfKey] });
    }
    if (to === 'salesforce' && flow.salesforceKeyField !== undefined) {
      keys.push({ target: flow.salesforceKeyField, value: (i) => i.id });
    }
    for (const m of flow.matchKeys) {
      const from = to === 'salesforce' ? m.intacct : m.salesforce;
      keys.push({
        target: to === 'salesforce' ? m.salesforce : m.intacct,
        value: (i) => i.source?.values[from],
      });
    }
    const usable = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';
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
        found.set(
          field,
          values.size === 0 ? [] : await port(to).findBy(targetObject, fields, field, [...values]),
        );
      }),
    );
    const allIds = [...new Set([...found.values()].flat().map((r) => r.id))];
    const taken =
      allIds.length === 0
        ? new Map<string, Link>()
        : to === 'salesforce'
          ? await deps.crosswalk.bySalesforceIds(flow.name, allIds)
          : await deps.crosswalk.byIntacctKeys(flow.name, allIds);
    const claimed = new Map<string, { item: Item; matchedBy: (typeof keys)[number] }>();
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
          item.outcome = {
            status: 'dead',
            error: new SyncError(`${hits.length} ${targetObject} records match ${key.target} = "${value}"`, {
              code: 'AMBIGUOUS_MATCH',
              retryable: false,
              hint: `make ${key.target} unique in ${to}, or link the record by hand, then run sfi redrive`,
              meta: { recordId: item.id, candidates: hits.map((h) => h.id) },
            }),
          };
          continue;
        }
        const hit = hits[0];
        if (hit === undefined) continue;
        const owner = taken.get(hit.id);
        const earlier = claimed.get(hit.id);
        const linkedElsewhere =
          owner !== undefined && (to === 'salesforce' ? owner.intacctKey : owner.salesforceId) !== item.id;
        // Claimed by a stronger key earlier in this batch counts as linked elsewhere too.
        if (linkedElsewhere || (earlier !== undefined && earlier.matchedBy !== key)) {
          item.outcome = {
            status: 'dead',
            error: new SyncError(
              `${targetObject} ${hit.id} matches by ${key.target} but is already linked to another record`,
              {
                code: 'MATCH_ALREADY_LINKED',
                retryable: false,
                hint: 'two source records share a match key; fix the duplicate at the source, then run sfi redrive',
                meta: { recordId: item.id, target: hit.id },
              },
            ),
          };
        } else if (earlier !== undefined) {
          // Two records of this batch match one target by the same key: linking either would be a guess.
          for (const rival of [item, earlier.item]) {
            rival.target = undefined;
            rival.outcome = {
              status: 'dead',
              error: new SyncError(
                `${targetObject} ${hit.id} matches more than one record by ${key.target} = "${value}"`,
                {
                  code: 'MATCH_CONFLICT',
                  retryable: false,
                  hint: `make ${key.target} unique at the source, or link the records by hand, then run sfi redrive`,
                  meta: { recordId: rival.id, target: hit.id },
                },
              ),
            };
          }
        } else {
          item.target = hit;
          claimed.set(hit.id, { item, matchedBy: key });
        }
      }
      open = open.filter((i) => i.target === undefined && i.outcome === undefined);
    }
  }

  function plan(flow: FlowConfig, to: Side, item: Item): WriteOp | undefined {
    const payload = { ...(item.payload as Values) };
    const source = item.source as SideRecord;
    const kindVersion = source.version;
    if (item.target !== undefined) {
      // `latest` fields: only a real conflict — the target also changed since the last agreed state —
      // is settled by timestamps (the newer side wins; its own job carries it over). Our own writes
      // (write-backs, echoes) leave the agreed state as it was, so they never count as a change.
      if (
        targetChangedSinceSync(flow, to, item) &&
        versionMs(item.target.version) !== undefined &&
        !isNotNewer(item.target.version, source.version)
      ) {
        for (const f of flow.fields)
          if (f.owner === 'latest') delete payload[to === 'intacct' ? f.intacct : f.salesforce];
      }
      const current = { ...item.target.values, ...canonical(flow, to, item.target.values) };
      const changed = diff(payload, current);
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
        controlId: controlId({
          flow: flow.name,
          kind: 'update',
          recordId: item.id,
          version: kindVersion,
          payloadHash: payloadHash(changed),
        }),
      };
    }
    if (source.deleted === true) {
      item.outcome = { status: 'done', action: 'skip:deleted' };
      return undefined;
    }
    if (to === 'intacct') {
      const key = intacctKeyFor(flow, item);
      if (flow.intacctKey !== undefined && key !== undefined) payload[flow.intacctKey.field] = key;
    } else if (flow.salesforceKeyField !== undefined) payload[flow.salesforceKeyField] = item.id;
    const values = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== null));
    return {
      kind: 'create',
      ref: item.id,
      values,
      controlId: controlId({
        flow: flow.name,
        kind: 'create',
        recordId: item.id,
        version: kindVersion,
        payloadHash: item.hash ?? '',
      }),
    };
  }

  /** After a create or link towards Intacct, Salesforce's external-ID field gets the Intacct key. */
  async function writeBack(flow: FlowConfig, from: Side, items: Item[]): Promise<void> {
    const field = flow.salesforceKeyField;
    if (from !== 'salesforce' || field === undefined) return;
    // Also when the record was skipped as unchanged: a write-back lost earlier heals on the next change.
    const keyOf = (i: Item) => i.target?.id ?? i.link?.intacctKey;
    const due = items.filter(
      (i) =>
        i.outcome?.status === 'done' &&
        keyOf(i) !== undefined &&
        i.source !== undefined &&
        i.source.deleted !== true &&
        field in i.source.values &&
        (i.source.values[field] ?? null) !== keyOf(i),
    );
    if (due.length === 0) return;
    try {
      const results = await deps.salesforce.write(
        flow.salesforceObject,
        due.map((i) => ({
          kind: 'update' as const,
          ref: i.id,
          id: i.id,
          values: { [field]: keyOf(i) ?? null },
          controlId: '',
        })),
      );
      for (const r of results) {
        if (!r.ok)
          deps.logger.warn('write-back failed; retried on the next change', {
            flow: flow.name,
            recordId: r.ref,
            code: r.error.code,
          });
      }
    } catch (error) {
      deps.logger.warn('write-back failed; retried on the next change', { flow: flow.name, error });
    }
  }

  /** Records the links of a batch in bulk; if that fails, the whole batch retries (its writes are idempotent). */
  async function recordLinks(flow: FlowConfig, from: Side, items: Item[]): Promise<void> {
    const entries = items.map((item) => ({
      link: linkFor(flow, from, item),
      isNew: item.link === undefined,
    }));
    await deps.crosswalk.putMany(entries);
    for (const [i, { link }] of entries.entries()) {
      deps.logger.info('record synced', {
        flow: flow.name,
        action: link.lastAction,
        salesforceId: link.salesforceId,
        intacctKey: link.intacctKey,
        reason: link.lastReason,
        correlationId: link.lastCorrelationId,
        fields: Object.keys(items[i]?.written ?? {}),
      });
    }
  }

  function linkFor(flow: FlowConfig, from: Side, item: Item): Link {
    const source = item.source as SideRecord;
    const target = item.target as SideRecord;
    // The hash of each side's state in the shape the sync towards it writes: the payload just
    // written for the target side, the source's own values for the source side.
    const sourceState = currentState(flow, from, source.values);
    // A parent reference is in the payload only when Salesforce has one, so count it only when set.
    const parentRef = flow.parent === undefined ? undefined : source.values[flow.parent.intacctField];
    if (
      from === 'intacct' &&
      flow.parent !== undefined &&
      typeof parentRef === 'string' &&
      parentRef !== ''
    ) {
      sourceState[flow.parent.intacctField] = parentRef;
    }
    const previous = item.link;
    const link: Link = {
      ...(previous ?? {}),
      flow: flow.name,
      salesforceId: from === 'salesforce' ? source.id : target.id,
      intacctKey: from === 'salesforce' ? target.id : source.id,
      intacctRecordNo:
        from === 'salesforce' ? (target.recordNo ?? previous?.intacctRecordNo) : source.recordNo,
      salesforceVersion: from === 'salesforce' ? source.version : previous?.salesforceVersion,
      intacctVersion: from === 'intacct' ? source.version : previous?.intacctVersion,
      hashToIntacct: from === 'salesforce' ? item.hash : payloadHash(sourceState),
      hashToSalesforce: from === 'intacct' ? item.hash : payloadHash(sourceState),
      lastAction: item.outcome?.status === 'done' ? item.outcome.action : 'unknown',
      lastAt: now().toISOString(),
      lastReason: item.job.reason,
      lastCorrelationId: item.job.correlationId,
      // When we last wrote to each side: snapshots of that side older than this are re-read.
      intacctWrittenAt:
        item.written !== undefined && from === 'salesforce'
          ? now().toISOString()
          : previous?.intacctWrittenAt,
      salesforceWrittenAt:
        item.written !== undefined && from === 'intacct'
          ? now().toISOString()
          : previous?.salesforceWrittenAt,
      lastWritten:
        item.written === undefined
          ? previous?.lastWritten
          : { to: from === 'salesforce' ? 'intacct' : 'salesforce', values: item.written },
      inactive: source.deleted === true ? true : previous?.inactive,
    };
    return link;
  }
}

/** True unless the target's mapped values still hash to what both sides last agreed on. */
function targetChangedSinceSync(flow: FlowConfig, to: Side, item: Item): boolean {
  const link = item.link;
  const target = item.target;
  if (link === undefined || target === undefined) return true;
  const mapped = to === 'salesforce' ? toIntacct(flow, target.values) : toSalesforce(flow, target.values);
  const agreed = to === 'salesforce' ? link.hashToIntacct : link.hashToSalesforce;
  return payloadHash(mapped) !== agreed;
}

/** Margin for clock skew between us and the system's timestamps (re-reading more is only a cost). */
const WRITE_SKEW_MS = 5_000;

/** True when a snapshot's version is not clearly after our last write to its side. */
function predatesOurWrite(version: string | undefined, link: Link | undefined, side: Side): boolean {
  const written = side === 'intacct' ? link?.intacctWrittenAt : link?.salesforceWrittenAt;
  const v = versionMs(version);
  const w = versionMs(written);
  return v !== undefined && w !== undefined && v <= w + WRITE_SKEW_MS;
}

function targetIdOf(link: Link, to: Side): string {
  return to === 'salesforce' ? link.salesforceId : link.intacctKey;
}

/** The Intacct key a Salesforce record gets: a mapped field, else prefix + Salesforce ID. */
function intacctKeyFor(flow: FlowConfig, item: Item): string | undefined {
  const spec = flow.intacctKey;
  if (spec === undefined) return undefined;
  const from = spec.fromSalesforce === undefined ? undefined : item.source?.values[spec.fromSalesforce];
  const key = typeof from === 'string' && from.trim() !== '' ? from.trim() : `${spec.prefix}${item.id}`;
  return key.slice(0, spec.maxLength);
}

/**
 * Groups jobs by record. The job with the newest version speaks for the group; if any job has no
 * version, the record is re-read instead (the re-read is the newest state there is).
 */
function dedupe(jobs: ReadonlyArray<{ messageId: string; job: Job }>): Item[] {
  const groups = new Map<string, Array<{ messageId: string; job: Job }>>();
  for (const entry of jobs)
    groups.set(entry.job.recordId, [...(groups.get(entry.job.recordId) ?? []), entry]);
  return [...groups.entries()].map(([id, group]) => {
    const unversioned = group.find((g) => versionMs(g.job.version) === undefined);
    const newest = group.reduce((a, b) =>
      (versionMs(b.job.version) ?? 0) > (versionMs(a.job.version) ?? 0) ? b : a,
    );
    const job = unversioned === undefined ? newest.job : { ...unversioned.job, snapshot: undefined };
    return { id, messageIds: group.map((g) => g.messageId), job };
  });
}

function pending(items: Item[]): Item[] {
  return items.filter((i) => i.outcome === undefined);
}

function failure(error: SyncError, flow: FlowConfig, from: Side, item: Item): Item['outcome'] {
  const ids =
    from === 'salesforce'
      ? { salesforceId: item.id, intacctKey: item.target?.id }
      : { intacctKey: item.id, salesforceId: item.target?.id };
  const withIds = new SyncError(`${flow.name} ${item.id}: ${error.message}`, {
    code: error.code,
    retryable: error.retryable,
    hint: error.hint,
    cause: error,
    meta: { ...error.meta, ...ids },
  });
  return error.retryable ? { status: 'retry', error: withIds } : { status: 'dead', error: withIds };
}

function wrap(error: unknown, code: string): SyncError {
  if (error instanceof SyncError) return error;
  return new SyncError((error as Error).message ?? String(error), { code, retryable: true, cause: error });
}

function internal(message: string): SyncError {
  return new SyncError(message, { code: 'INTERNAL', retryable: true });
}
