import { ApiError } from './api-error.ts';
import { formatRestDateTime, isDate, parseDateTime } from './dates.ts';
import { canonicalId } from './ids.ts';
import type { SchemaRegistry } from './schema/registry.ts';
import type { FieldDef } from './schema/types.ts';

/** A stored record: canonical field names, JSON values (datetimes as REST strings). */
export type SObjectRecord = Record<string, unknown>;

const bad = (code: string, message: string, field: string): ApiError =>
  new ApiError(400, code, message, [field]);

function coerce(def: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') {
    return def.type === 'boolean' ? false : null;
  }
  const typeError = () =>
    bad('JSON_PARSER_ERROR', `${def.name}: value not of required type: ${String(raw)}`, def.name);
  switch (def.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw typeError();
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n) || (def.type === 'int' && !Number.isInteger(n))) throw typeError();
      return n;
    }
    case 'date':
      if (
        typeof raw === 'string' &&
        isDate(raw.slice(0, 10)) &&
        (raw.length === 10 || !Number.isNaN(parseDateTime(raw)))
      )
        return raw.slice(0, 10);
      throw typeError();
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : Number.NaN;
      if (Number.isNaN(ms)) throw typeError();
      return formatRestDateTime(ms);
    }
    case 'reference':
    case 'id': {
      const id = typeof raw === 'string' ? canonicalId(raw) : undefined;
      if (!id) throw bad('MALFORMED_ID', `${def.name}: id value of incorrect type: ${String(raw)}`, def.name);
      return id;
    }
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw typeError();
      const s = String(raw);
      if (def.length !== undefined && s.length > def.length) {
        throw bad(
          'STRING_TOO_LONG',
          `${def.name}: data value too large: ${s.slice(0, 40)} (max length=${def.length})`,
          def.name,
        );
      }
      if (def.type === 'picklist' && def.picklistValues && !def.picklistValues.includes(s)) {
        throw bad(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${def.name}: bad value for restricted picklist field: ${s}`,
          def.name,
        );
      }
      if (def.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) {
        throw bad('INVALID_EMAIL_ADDRESS', `${def.name}: invalid email address: ${s}`, def.name);
      }
      return s;
    }
  }
}

/**
 * Turns an API payload into canonical, typed field values, rejecting what Salesforce rejects:
 * unknown fields, read-only or create-only fields, wrong types, too-long strings, bad picklist values.
 */
export function normaliseInput(
  schema: SchemaRegistry,
  object: string,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
): SObjectRecord {
  const out: SObjectRecord = {};
  const notWritable: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'attributes' || (mode === 'update' && key.toLowerCase() === 'id')) continue;
    const def = schema.field(object, key);
    if (!def) {
      throw new ApiError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object}`, [key]);
    }
    if (def.readOnly || (mode === 'update' && def.createOnly)) {
      notWritable.push(def.name);
      continue;
    }
    out[def.name] = coerce(def, raw);
  }
  if (notWritable.length > 0) {
    throw new ApiError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      notWritable,
    );
  }
  return out;
}

/** REQUIRED_FIELD_MISSING for required fields that are null on the record about to be saved. */
export function checkRequired(schema: SchemaRegistry, object: string, record: SObjectRecord): void {
  const def = schema.object(object);
  const missing = (def?.fields ?? [])
    .filter((f) => f.required && (record[f.name] === null || record[f.name] === undefined))
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new ApiError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
}
