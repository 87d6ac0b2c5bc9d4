import { ApiError } from './api-error.ts';
import { formatRestDateTime } from './dates.ts';
import { applyAfterSave, applyBeforeSave } from './domain-rules.ts';
import { canonicalId, type IdFactory } from './ids.ts';
import { IndexedTable } from './indexed-table.ts';
import type { RuleContext } from './rule-context.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import { checkRequired, normaliseInput, type SObjectRecord } from './validate.ts';

/** One committed change, as outbound-message rules and getUpdated/getDeleted see it. */
export type ChangeEvent = {
  object: string;
  id: string;
  kind: 'create' | 'update' | 'delete' | 'undelete';
  before: SObjectRecord | undefined;
  after: SObjectRecord;
};

type Touch = { object: string; id: string; values: SObjectRecord };

/**
 * In-memory org data. Every write is validated against the schema and the domain rules first and
 * only then applied, so a failed single-record DML changes nothing; `transaction` adds an undo log
 * for allOrNone collections. Deletes are soft (Recycle Bin: IsDeleted = true).
 */
export class RecordStore {
  readonly schema: SchemaRegistry;
  readonly #ids: IdFactory;
  readonly #now: () => number;
  readonly #tables = new Map<string, IndexedTable>();
  readonly #listeners: Array<(e: ChangeEvent) => void> = [];
  readonly #autoNumbers = new Map<string, number>();
  #undo: Array<() => void> | undefined;
  #buffered: ChangeEvent[] | undefined;

  constructor(schema: SchemaRegistry, ids: IdFactory, now: () => number) {
    this.schema = schema;
    this.#ids = ids;
    this.#now = now;
    for (const o of schema.objects()) this.#tables.set(o.name, new IndexedTable());
  }

  onChange(listener: (e: ChangeEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** The object's table, for queries that narrow by its indexes (read only: writes go through the store). */
  table(object: string): IndexedTable {
    return this.#table(object);
  }

  #table(object: string): IndexedTable {
    const def = this.schema.object(object);
    const table = def && this.#tables.get(def.name);
    if (!def || !table) throw new ApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return table;
  }

  /** Canonical object name, or INVALID_TYPE. */
  objectName(object: string): string {
    const def = this.schema.object(object);
    if (!def) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return def.name;
  }

  get(object: string, id: string, includeDeleted = false): SObjectRecord | undefined {
    const key = canonicalId(id);
    const rec = key ? this.#table(object).get(key) : undefined;
    return rec && (includeDeleted || rec.IsDeleted !== true) ? rec : undefined;
  }

  list(object: string, includeDeleted = false): SObjectRecord[] {
    return [...this.#table(object).values()].filter((r) => includeDeleted || r.IsDeleted !== true);
  }

  /** Live records whose field equals value (case-insensitive for strings, as external IDs are). */
  findByField(object: string, field: string, value: unknown): SObjectRecord[] {
    const want = typeof value === 'string' ? value.toLowerCase() : value;
    // the index gives the candidates in table order; the test is the one a scan would make
    return this.#table(object)
      .withValue(field, value)
      .filter((r) => {
        const v = r[field];
        return r.IsDeleted !== true && (typeof v === 'string' ? v.toLowerCase() : v) === want;
      });
  }

  create(object: string, input: Record<string, unknown>, userId: string): SObjectRecord {
    const name = this.objectName(object);
    const fields = normaliseInput(this.schema, name, input, 'create');
    const def = this.schema.object(name);
    const draft: SObjectRecord = {};
    for (const f of def?.fields ?? [])
      draft[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    Object.assign(draft, fields);
    if ('OwnerId' in draft && !draft.OwnerId) draft.OwnerId = userId;
    return this.#save(name, draft, fields, undefined, userId);
  }

  update(object: string, id: string, input: Record<string, unknown>, userId: string): SObjectRecord {
    const name = this.objectName(object);
    const existing = this.#existing(name, id);
    const fields = normaliseInput(this.schema, name, input, 'update');
    return this.#save(name, { ...existing, ...fields }, fields, existing, userId);
  }

  delete(object: string, id: string, userId: string): SObjectRecord {
    const name = this.objectName(object);
    const existing = this.#existing(name, id);
    const after = { ...existing, IsDeleted: true, ...this.#stamp(userId) };
    this.#put(name, after);
    const rollups: Touch[] = [];
    applyAfterSave(name, after, this.#ruleContext(rollups));
    for (const t of rollups) this.#touch(t, userId);
    this.#emit({ object: name, id: String(existing.Id), kind: 'delete', before: existing, after });
    return after;
  }

  /**
   * Restores a record from the Recycle Bin (IsDeleted = false, a new SystemModstamp). Workflow
   * outbound messages do not fire on undelete; delta polls see the new SystemModstamp.
   */
  undelete(object: string, id: string, userId: string): SObjectRecord {
    const name = this.objectName(object);
    const rec = this.#table(name).get(canonicalId(id) ?? '');
    if (rec === undefined) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (rec.IsDeleted !== true)
      throw new ApiError(400, 'UNDELETE_FAILED', 'entity is not in the recycle bin');
    const after = { ...rec, IsDeleted: false, ...this.#stamp(userId) };
    this.#put(name, after);
    this.#emit({ object: name, id: String(rec.Id), kind: 'undelete', before: rec, after });
    return after;
  }

  /** Empties a deleted record from the Recycle Bin: it is gone, even to queryAll. */
  purge(object: string, id: string): void {
    const name = this.objectName(object);
    const key = canonicalId(id) ?? '';
    const rec = this.#table(name).get(key);
    if (rec?.IsDeleted !== true)
      throw new ApiError(400, 'INVALID_ID_FIELD', 'only deleted records can be purged');
    this.#table(name).delete(key);
  }

  /**
   * Writes values without validation or events: for seeding fields the API cannot write
   * (IsStandard, User.Name, audit fields of the first user).
   */
  patchSystem(object: string, id: string, values: SObjectRecord): void {
    const rec = this.get(object, id);
    if (rec) this.#table(object).set(String(rec.Id), { ...rec, ...values });
  }

  #existing(object: string, id: string): SObjectRecord {
    const key = canonicalId(id);
    if (!key) throw new ApiError(400, 'MALFORMED_ID', `malformed id ${id}`);
    const rec = this.#table(object).get(key);
    if (!rec) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (rec.IsDeleted === true) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return rec;
  }

  #stamp(userId: string): SObjectRecord {
    const ts = formatRestDateTime(this.#now());
    return { LastModifiedDate: ts, LastModifiedById: userId, SystemModstamp: ts };
  }

  #save(
    object: string,
    draft: SObjectRecord,
    input: SObjectRecord,
    before: SObjectRecord | undefined,
    userId: string,
  ): SObjectRecord {
    const touches: Touch[] = [];
    applyBeforeSave(object, draft, input, before === undefined, this.#ruleContext(touches));
    checkRequired(this.schema, object, draft);
    this.#checkReferences(object, draft);
    this.#checkUnique(object, draft);
    if (!before) {
      draft.Id = this.#ids.next(this.schema.object(object)?.keyPrefix ?? 'a00');
      draft.CreatedDate = formatRestDateTime(this.#now());
      draft.CreatedById = userId;
      draft.IsDeleted = false;
    }
    Object.assign(draft, this.#stamp(userId));
    this.#put(object, draft);
    for (const t of touches) this.#touch(t, userId);
    const rollups: Touch[] = [];
    applyAfterSave(object, draft, this.#ruleContext(rollups));
    for (const t of rollups) this.#touch(t, userId);
    this.#emit({ object, id: String(draft.Id), kind: before ? 'update' : 'create', before, after: draft });
    return draft;
  }

  #touch(t: Touch, userId: string): void {
    const current = this.get(t.object, t.id);
    if (!current) return;
    const after = { ...current, ...t.values, SystemModstamp: this.#stamp(userId).SystemModstamp };
    this.#put(t.object, after);
    this.#emit({ object: t.object, id: t.id, kind: 'update', before: current, after });
  }

  #ruleContext(touches: Touch[]): RuleContext {
    return {
      get: (object, id) => this.get(object, id),
      find: (object, predicate) => this.list(object).filter(predicate),
      touch: (object, id, values) => {
        touches.push({ object, id, values });
      },
      // like Salesforce, a rolled-back insert still uses up its number
      autoNumber: (key) => {
        const next = (this.#autoNumbers.get(key) ?? 0) + 1;
        this.#autoNumbers.set(key, next);
        return next;
      },
    };
  }

  #checkReferences(object: string, draft: SObjectRecord): void {
    for (const f of this.schema.object(object)?.fields ?? []) {
      const value = draft[f.name];
      if (f.type !== 'reference' || f.readOnly || typeof value !== 'string' || !f.referenceTo) continue;
      const target = this.schema.referenceTargetOf(f, value);
      if (target === undefined || !this.get(target, value)) {
        throw new ApiError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
    }
  }

  #checkUnique(object: string, draft: SObjectRecord): void {
    for (const f of this.schema.object(object)?.fields ?? []) {
      const value = draft[f.name];
      if (!f.unique || value === null || value === undefined) continue;
      const clash = this.findByField(object, f.name, value).find((r) => r.Id !== draft.Id);
      if (clash) {
        throw new ApiError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${String(clash.Id)}`,
          [],
        );
      }
    }
  }

  #put(object: string, record: SObjectRecord): void {
    const table = this.#table(object);
    const id = String(record.Id);
    if (this.#undo) {
      const previous = table.get(id);
      this.#undo.push(() => (previous ? table.set(id, previous) : table.delete(id)));
    }
    table.set(id, record);
  }

  #emit(event: ChangeEvent): void {
    if (this.#buffered) this.#buffered.push(event);
    else for (const l of this.#listeners) l(event);
  }

  /**
   * Runs `fn` as one unit: when it throws, every write it made is undone and no change events
   * are emitted (allOrNone). Events of a committed transaction are emitted together at the end.
   */
  transaction<T>(fn: () => T): T {
    if (this.#undo) return fn();
    const undoLog: Array<() => void> = [];
    const events: ChangeEvent[] = [];
    this.#undo = undoLog;
    this.#buffered = events;
    try {
      const result = fn();
      this.#undo = undefined;
      this.#buffered = undefined;
      for (const e of events) for (const l of this.#listeners) l(e);
      return result;
    } catch (error) {
      for (const undo of undoLog.reverse()) undo();
      throw error;
    } finally {
      this.#undo = undefined;
      this.#buffered = undefined;
    }
  }
}
