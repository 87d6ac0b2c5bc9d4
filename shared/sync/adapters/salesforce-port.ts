/**
 * The engine's Salesforce port on our jsforce client: reads by `Id IN (…)` (queryAll, so deleted
 * records come back flagged), match lookups by any field, and writes through sObject Collections
 * (creates with an external-ID key as upserts on that field).
 * Values cross as canonical strings; field types from describe turn them back into JSON numbers
 * and booleans on writes (one describe per object per warm Lambda).
 */
import { SyncError } from '#shared/errors.ts';
import { chunkForInClause, type SalesforceClient, soqlName, soqlValue } from '#shared/salesforce/index.ts';
import type { LinesReader, RecordWithLines } from '../document-ports.ts';
import type { Values } from '../mapping.ts';
import type { SideRecord, SystemPort, WriteOp, WriteResult } from '../ports.ts';

type SfRecord = Record<string, unknown>;

const NUMERIC = new Set(['double', 'currency', 'percent', 'int', 'long']);

/** Salesforce writes `+0000`; ISO 8601 with `Z` compares and parses everywhere. */
export function normaliseModstamp(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.replace(/\+0000$/, 'Z');
}

function toValues(record: SfRecord, fields: readonly string[]): Values {
  const values: Values = {};
  for (const f of fields) {
    const v = f.includes('.')
      ? f.split('.').reduce<unknown>((o, k) => (o as SfRecord | null)?.[k], record)
      : record[f];
    values[f] = v === null || v === undefined ? null : String(v);
  }
  return values;
}

export class SalesforcePort implements SystemPort, LinesReader {
  readonly #client: SalesforceClient;
  readonly #types = new Map<string, Promise<Map<string, string>>>();

  constructor(client: SalesforceClient) {
    this.#client = client;
  }

  async read(
    object: string,
    fields: readonly string[],
    ids: readonly string[],
  ): Promise<Map<string, SideRecord>> {
    const rows = await this.#client.queryByIds(object, this.#select(fields), ids, { includeDeleted: true });
    return new Map(rows.map((r) => [String(r.Id), this.#record(r, fields)]));
  }

  async findBy(
    object: string,
    fields: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<SideRecord[]> {
    // Live records only (no queryAll), so no IsDeleted: some objects (CurrencyType) have none.
    const select = [...new Set(['Id', 'SystemModstamp', ...fields])];
    const rows = await this.#client.queryByIds(object, select, values, { idField: field });
    return rows.map((r) => this.#record(r, fields));
  }

  async write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> {
    const types = await this.#fieldTypes(object);
    const creates = ops.filter((o) => o.kind === 'create' && o.upsertOn === undefined);
    const updates = ops.filter((o) => o.kind === 'update');
    const results: WriteResult[] = [];
    if (creates.length > 0) {
      const out = await this.#client.create(
        object,
        creates.map((o) => this.#payload(o.values, types)),
      );
      results.push(...out.map((r) => this.#result(creates[r.index] as WriteOp, r)));
    }
    // Creates keyed by an external ID are upserts on it: a second create of the same key finds the first.
    const upserts = new Map<string, WriteOp[]>();
    for (const o of ops)
      if (o.kind === 'create' && o.upsertOn !== undefined)
        upserts.set(o.upsertOn, [...(upserts.get(o.upsertOn) ?? []), o]);
    for (const [field, group] of upserts) {
      const out = await this.#client.upsert(
        object,
        field,
        group.map((o) => this.#payload(o.values, types)),
      );
      results.push(...out.map((r) => this.#result(group[r.index] as WriteOp, r)));
    }
    if (updates.length > 0) {
      const out = await this.#client.update(
        object,
        updates.map((o) => ({
          Id: o.kind === 'update' ? o.id : undefined,
          ...this.#payload(o.values, types),
        })),
      );
      results.push(...out.map((r) => this.#result(updates[r.index] as WriteOp, r)));
    }
    return results;
  }

  /**
   * Records with one child relationship's rows, in one query per chunk of IDs (queryAll, so a
   * deleted record comes back flagged); a relationship longer than its first batch is followed.
   */
  async readWithLines(
    object: string,
    fields: readonly string[],
    ids: readonly string[],
    lines: { relationship: string; fields: readonly string[] },
  ): Promise<Map<string, RecordWithLines>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, RecordWithLines>();
    if (unique.length === 0) return out;
    const child = `(SELECT ${lines.fields.map((f) => soqlName(f).text).join(', ')} FROM ${soqlName(lines.relationship).text})`;
    const select = `SELECT ${[...this.#select(fields).map((f) => soqlName(f).text), child].join(', ')} FROM ${soqlName(object).text} WHERE Id IN `;
    // Child rows count towards the response: 200 parents a query, as Salesforce advises.
    for (const chunk of chunkForInClause(unique, { baseQuery: select, maxPerChunk: 200 })) {
      const rows = await this.#client.query(select + soqlValue(chunk), { includeDeleted: true });
      for (const row of rows) {
        const children = await this.#children(row[lines.relationship]);
        out.set(String(row.Id), {
          ...this.#record(row, fields),
          lines: children.map((c) => toValues(c, lines.fields)),
        });
      }
    }
    return out;
  }

  async #children(value: unknown): Promise<SfRecord[]> {
    if (value === null || value === undefined) return [];
    let page = value as { records?: SfRecord[]; done?: boolean; nextRecordsUrl?: string };
    const rows = [...(page.records ?? [])];
    for (let pages = 0; page.done === false && page.nextRecordsUrl !== undefined && pages < 1000; pages++) {
      page = await this.#client.queryMore(page.nextRecordsUrl);
      rows.push(...(page.records ?? []));
    }
    return rows;
  }

  #select(fields: readonly string[]): string[] {
    return [...new Set(['Id', 'SystemModstamp', 'IsDeleted', ...fields])];
  }

  #record(row: SfRecord, fields: readonly string[]): SideRecord {
    return {
      id: String(row.Id),
      version: normaliseModstamp(row.SystemModstamp),
      values: toValues(row, fields),
      deleted: row.IsDeleted === true,
    };
  }

  #payload(values: Values, types: Map<string, string>): SfRecord {
    const out: SfRecord = {};
    for (const [field, value] of Object.entries(values)) {
      const type = types.get(field);
      if (value === null) out[field] = null;
      else if (type === 'boolean') out[field] = value === 'true';
      else if (
        type !== undefined &&
        NUMERIC.has(type) &&
        value.trim() !== '' &&
        Number.isFinite(Number(value))
      )
        out[field] = Number(value);
      else out[field] = value;
    }
    return out;
  }

  #result(
    op: WriteOp,
    r: {
      success: boolean;
      id?: string;
      errors: Array<{ statusCode: string; message: string; fields: string[] }>;
      retryable: boolean;
    },
  ): WriteResult {
    if (r.success) return { ref: op.ref, ok: true, id: r.id ?? (op.kind === 'update' ? op.id : '') };
    const first = r.errors[0];
    return {
      ref: op.ref,
      ok: false,
      error: new SyncError(
        `Salesforce rejected the ${op.kind}: ${r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
        {
          code: first?.statusCode ?? 'SALESFORCE_ERROR',
          retryable: r.retryable,
          hint: hintFor(first?.statusCode, first?.fields ?? []),
          meta: { fields: first?.fields ?? [] },
        },
      ),
    };
  }

  #fieldTypes(object: string): Promise<Map<string, string>> {
    let types = this.#types.get(object);
    if (types === undefined) {
      types = this.#client
        .describe(object)
        .then((d) => new Map(d.fields.map((f: { name: string; type: string }) => [f.name, f.type])));
      types.catch(() => this.#types.delete(object));
      this.#types.set(object, types);
    }
    return types;
  }
}

function hintFor(code: string | undefined, fields: string[]): string {
  switch (code) {
    case 'REQUIRED_FIELD_MISSING':
      return `fill ${fields.join(', ')} in the source record or map a default, then redrive`;
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
      return `add the value to the picklist ${fields.join(', ')} in Salesforce, or map it with a transform`;
    case 'DUPLICATE_VALUE':
      return `another record already has this ${fields.join(', ')}; merge or relink, then redrive`;
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return 'a validation rule in Salesforce refused the change; fix the data or the rule, then redrive';
    case 'INVALID_EMAIL_ADDRESS':
      return `correct the e-mail address in the source record (${fields.join(', ')}), then redrive`;
    case 'STRING_TOO_LONG':
      return `shorten ${fields.join(', ')} at the source or add a truncating transform`;
    default:
      return 'see the message; fix the data, then run sfi redrive';
  }
}
