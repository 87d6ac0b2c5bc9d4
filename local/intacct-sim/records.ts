import { type CompanyClock, companyClock } from '#shared/intacct/clock.ts';
import type { OpContext } from './context.ts';
import { entityRecords } from './entities.ts';
import { businessError } from './errors.ts';
import { isLineObject, lineRecords } from './line-objects.ts';
import { objectDef } from './objects.ts';
import { getPath, intacctTimestamp, type SimRecord } from './store.ts';
import type { Field, FieldMap } from './xml.ts';

const clocks = new Map<string, CompanyClock>();
const clockFor = (zone: string): CompanyClock => {
  const known = clocks.get(zone);
  if (known !== undefined) return known;
  const clock = companyClock(zone);
  clocks.set(zone, clock);
  return clock;
};

/** Now on the company's clock (its time zone), as Intacct writes audit timestamps. */
function companyNow(ctx: OpContext): string {
  const zone = ctx.settings.timeZone;
  return zone === undefined ? intacctTimestamp(ctx.now) : clockFor(zone).format(ctx.now);
}

/**
 * Deletes a record and writes its AUDITHISTORY row (ACCESSMODE `D`, the code `query` filters on).
 * OBJECTKEY is the record's natural ID (RECORDNO when it has none): the docs call it the object's
 * "unique name field" and give RECORDNO for APBILL; for CUSTOMER and the like it is unverified.
 */
export function deleteRecord(ctx: OpContext, record: SimRecord, source: 'api' | 'ui'): void {
  const def = objectDef(record.object);
  const key = def?.idField === undefined ? undefined : record.fields[def.idField];
  ctx.store.remove(record.object, record.recordNo);
  insert(ctx, 'AUDITHISTORY', {
    OBJECTTYPE: record.object.toLowerCase(),
    OBJECTKEY: typeof key === 'string' ? key : String(record.recordNo),
    ACCESSMODE: 'D',
    ACCESSTIME: companyNow(ctx),
    USERID: ctx.userId,
    SOURCE: source,
  });
}

/** Records of an object the context can see: own entity + shared, or everything with showprivate at top level. */
export function visible(ctx: OpContext, object: string, showPrivate = false): SimRecord[] {
  if (object === 'LOCATIONENTITY') return entityRecords(ctx);
  if (isLineObject(object)) return lineRecords(object, (header) => visible(ctx, header, showPrivate));
  return visibleAmong(ctx, ctx.store.inOrder(object), showPrivate);
}

/** The records of a list the context can see (see {@link visible}), in the list's order. */
export function visibleAmong(ctx: OpContext, records: SimRecord[], showPrivate = false): SimRecord[] {
  return records.filter((r) => canSee(ctx, r, showPrivate));
}

function canSee(ctx: OpContext, r: SimRecord, showPrivate = false): boolean {
  return r.entity === '' || r.entity === ctx.entityId || (ctx.entityId === '' && showPrivate);
}

/** Finds a visible record by RECORDNO or natural ID. */
export function findVisible(
  ctx: OpContext,
  object: string,
  key: { recordNo?: string; id?: string },
): SimRecord | undefined {
  const def = objectDef(object);
  if (key.recordNo !== undefined) {
    // RECORDNO is the map's key: no scan. Only a canonical integer names a record.
    const n = Number(key.recordNo);
    const r = Number.isInteger(n) && String(n) === key.recordNo ? ctx.store.get(object, n) : undefined;
    return r !== undefined && canSee(ctx, r) ? r : undefined;
  }
  // The lowest visible RECORDNO with the ID, as the ordered scan found it.
  const idField = def?.idField;
  const id = key.id;
  if (object === 'LOCATIONENTITY' || !idField || id === undefined)
    return visible(ctx, object).find((r) => idField && r.fields[idField] === id);
  return ctx.store
    .candidates(object, idField, id)
    .filter((r) => r.fields[idField] === id && canSee(ctx, r))
    .sort((a, b) => a.recordNo - b.recordNo)[0];
}

/** Stamps the audit fields every write maintains. */
export function touch(ctx: OpContext, record: SimRecord, created: boolean): void {
  const ts = companyNow(ctx);
  if (created) {
    record.fields.WHENCREATED ??= ts;
    record.fields.CREATEDBY = ctx.userRecordNo;
  }
  record.fields.WHENMODIFIED = ts;
  record.fields.MODIFIEDBY = ctx.userRecordNo;
  ctx.store.edited(record);
}

/** Creates and stores a record owned by the context's entity, with RECORDNO and audit fields. */
export function insert(ctx: OpContext, object: string, fields: FieldMap): SimRecord {
  const recordNo = ctx.store.nextRecordNo(object);
  const entity = ctx.store.entities.find((e) => e.id === ctx.entityId);
  const record: SimRecord = { object, recordNo, entity: ctx.entityId, fields: { ...fields } };
  record.fields.RECORDNO = String(recordNo);
  record.fields.MEGAENTITYKEY = entity ? String(entity.recordNo) : '';
  record.fields.MEGAENTITYID = entity?.id ?? '';
  record.fields.MEGAENTITYNAME = entity?.name ?? '';
  touch(ctx, record, true);
  ctx.store.put(record);
  return record;
}

/** Merges update fields: nested blocks merge, an empty element clears, read-only fields are ignored. */
export function mergeFields(target: FieldMap, changes: FieldMap, readOnly: string[]): void {
  for (const [k, v] of Object.entries(changes)) {
    if (readOnly.includes(k) || k === 'RECORDNO') continue;
    const cur = target[k];
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      cur &&
      typeof cur === 'object' &&
      !Array.isArray(cur)
    ) {
      mergeFields(cur, v, []);
    } else {
      target[k] = v;
    }
  }
}

/** Throws the "required field" error for the first missing dotted path. */
export function requireFields(label: string, fields: FieldMap, paths: string[]): void {
  for (const path of paths) {
    const v = getPath(fields, path);
    if (v === undefined || v === '') {
      throw businessError(
        `Required field ${path} is missing.`,
        `Provide a value for ${path} on the ${label}.`,
      );
    }
  }
}

/** Fails when a posting date falls into a closed period (the session entity's own, else the company's). */
export function checkOpenPeriod(ctx: OpContext, date: string | undefined, ms: number): void {
  const closed = ctx.settings.closedBeforeByEntity?.[ctx.entityId] ?? ctx.settings.closedBefore;
  if (!closed || !Number.isFinite(ms)) return;
  const limit = Date.parse(`${closed.slice(6, 10)}-${closed.slice(0, 2)}-${closed.slice(3, 5)}T00:00:00Z`);
  if (ms < limit) {
    throw businessError(
      `Cannot post to a closed period: the period for ${date} is closed. Date must be on or after ${closed}.`,
      'Use a date in an open period, or reopen the period.',
      'BL03000095',
    );
  }
}

/** Fails when a line lacks a dimension the company requires. */
export function checkDimensions(ctx: OpContext, lines: FieldMap[], lower: boolean): void {
  lines.forEach((line, i) => {
    for (const dim of ctx.settings.requiredDimensions) {
      const name = lower ? dim.toLowerCase() : dim.toUpperCase();
      if (!line[name]) {
        throw businessError(
          `Line ${i + 1}: ${dim.toUpperCase()} is required.`,
          `Provide ${dim.toUpperCase()} on every line.`,
        );
      }
    }
  });
}

/** A record as read/readByQuery return it: every field, nested blocks nested. */
export function fullRow(record: SimRecord): FieldMap {
  return structuredClone(record.fields);
}

/** Reads a dotted field for `query`/filters, following many-to-one relations (one hop each). */
export function readField(ctx: OpContext, record: SimRecord, path: string): string | undefined {
  const direct = getPath(record.fields, path);
  if (direct !== undefined) return typeof direct === 'string' ? direct : '';
  const [head, ...rest] = path.split('.');
  const rel = head ? objectDef(record.object)?.relations?.[head] : undefined;
  if (rel && rest.length) {
    const localValue = record.fields[rel.localField];
    const target =
      typeof localValue === 'string' ? ctx.store.findBy(rel.object, rel.remoteField, localValue) : undefined;
    return target ? readField(ctx, target, rest.join('.')) : undefined;
  }
  return undefined;
}

/** True when a field path is known for the object (documented, present in data, nested or related). */
export function knownField(ctx: OpContext, object: string, path: string): boolean {
  const def = objectDef(object);
  const [head = ''] = path.split('.');
  if (def?.fields.includes(head) || def?.relations?.[head]) return true;
  return ctx.store.all(object).some((r) => r.fields[head] !== undefined);
}

/** Coerces a field to a list of line maps (one line may arrive as a single map). */
export function linesOf(value: Field | undefined): FieldMap[] {
  if (value === undefined || typeof value === 'string') return [];
  return Array.isArray(value) ? value : [value];
}

/** Formats an amount with 2 decimals, as Intacct rounds currency. */
export function money(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2);
}
