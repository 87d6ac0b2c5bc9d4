import { ApiError } from '../api-error.ts';
import { toApiRecord } from './records.ts';
import type { Route, RouteCall, RouteResult } from './route-types.ts';
import { externalIdField, upsertOne } from './upsert.ts';

type SaveResult = {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
};

const MAX_RECORDS = 200;
const ROLLED_BACK = new ApiError(
  400,
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

/** Thrown inside a transaction to undo an allOrNone batch that had a failure. */
class RollbackSignal extends Error {}

function parseBatch(call: RouteCall): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const body = call.body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || !Array.isArray(body.records)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be { allOrNone, records: [...] }');
  }
  if (body.records.length > MAX_RECORDS) {
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
  return { allOrNone: body.allOrNone === true, records: body.records as Array<Record<string, unknown>> };
}

function typeOf(rec: Record<string, unknown>): string {
  const type = (rec.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || type === '')
    throw new ApiError(400, 'INVALID_TYPE', 'Must specify a type in the attributes map');
  return type;
}

/**
 * Runs one operation per record in request order. A failing record changes nothing; with
 * allOrNone every write is undone and the other records report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 * An armed UNABLE_TO_LOCK_ROW fault fails every record of the batch (a locked parent row).
 */
function runBatch(
  call: RouteCall,
  records: Array<Record<string, unknown>>,
  allOrNone: boolean,
  op: (rec: Record<string, unknown>) => { id: string; created?: boolean },
): SaveResult[] {
  if (call.ctx.faults.lockRowOnDml.has(call.ctx.usage.dml)) {
    return records.map(() => ({
      success: false,
      errors: [
        {
          statusCode: 'UNABLE_TO_LOCK_ROW',
          message: 'unable to obtain exclusive access to this record or 1 records',
          fields: [],
        },
      ],
    }));
  }
  let results: SaveResult[] = [];
  try {
    call.ctx.store.transaction(() => {
      results = records.map((rec) => {
        try {
          const out = op(rec);
          return {
            id: out.id,
            success: true,
            errors: [],
            ...(out.created === undefined ? {} : { created: out.created }),
          };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          return { success: false, errors: [error.toSaveError()] };
        }
      });
      if (allOrNone && results.some((r) => !r.success)) throw new RollbackSignal();
    });
  } catch (error) {
    if (!(error instanceof RollbackSignal)) throw error;
    results = results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK.toSaveError()] } : r));
  }
  return results;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });

/** Field-level security: a write naming a field the API user may not edit fails as Salesforce's does. */
function checkWritable(call: RouteCall, object: string, rec: Record<string, unknown>): void {
  const denied = call.ctx.faults.readOnlyFields;
  if (denied.size === 0) return;
  const name = call.ctx.store.objectName(object).toLowerCase();
  const field = Object.keys(rec).find((k) => denied.has(`${name}.${k.toLowerCase()}`));
  if (field === undefined) return;
  throw new ApiError(
    400,
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    [field],
  );
}

function idOf(rec: Record<string, unknown>): string {
  const id = rec.id ?? rec.Id;
  if (typeof id !== 'string' || id === '')
    throw new ApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
  return id;
}

/** sObject Collections: create, update, upsert by external ID, delete, retrieve (≤ 200 records). */
export const COLLECTION_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/composite\/sobjects\/?$/,
    name: 'collections.create',
    dml: true,
    handle: (c) => {
      const { allOrNone, records } = parseBatch(c);
      return ok(
        runBatch(c, records, allOrNone, (rec) => {
          if ('id' in rec || 'Id' in rec)
            throw new ApiError(400, 'INVALID_FIELD', 'Cannot specify Id in an insert call', ['Id']);
          checkWritable(c, typeOf(rec), rec);
          return { id: String(c.ctx.store.create(typeOf(rec), rec, c.userId).Id) };
        }),
      );
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/composite\/sobjects\/?$/,
    name: 'collections.update',
    dml: true,
    handle: (c) => {
      const { allOrNone, records } = parseBatch(c);
      return ok(
        runBatch(c, records, allOrNone, (rec) => {
          const id = idOf(rec);
          const fields = Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'id'));
          checkWritable(c, typeOf(rec), fields);
          return { id: String(c.ctx.store.update(typeOf(rec), id, fields, c.userId).Id) };
        }),
      );
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/composite\/sobjects\/(\w+)\/(\w+)\/?$/,
    name: 'collections.upsert',
    dml: true,
    handle: (c) => {
      const object = c.ctx.store.objectName(c.params[0] ?? '');
      const field = externalIdField(c.ctx, object, c.params[1] ?? '');
      const { allOrNone, records } = parseBatch(c);
      return ok(
        runBatch(c, records, allOrNone, (rec) => {
          if (c.ctx.store.objectName(typeOf(rec)) !== object) {
            throw new ApiError(400, 'INVALID_TYPE', `Record type ${typeOf(rec)} does not match ${object}`);
          }
          const key = Object.keys(rec).find((k) => k.toLowerCase() === field.toLowerCase());
          const value = key === undefined ? undefined : rec[key];
          if (typeof value !== 'string' && typeof value !== 'number') {
            throw new ApiError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
          }
          checkWritable(c, object, rec);
          return upsertOne(c.ctx, object, field, String(value), rec, c.userId);
        }),
      );
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/composite\/sobjects\/?$/,
    name: 'collections.delete',
    dml: true,
    handle: (c) => {
      const ids = (c.url.searchParams.get('ids') ?? '').split(',').filter((s) => s !== '');
      if (ids.length > MAX_RECORDS)
        throw new ApiError(400, 'EXCEEDED_ID_LIMIT', 'cannot delete more than 200 records');
      const allOrNone = c.url.searchParams.get('allOrNone') === 'true';
      const prefixed = ids.map((id) => ({ id }));
      return ok(
        runBatch(c, prefixed, allOrNone, (rec) => {
          const id = String(rec.id);
          const def = c.ctx.store.schema.objectByPrefix(id.slice(0, 3));
          if (!def) throw new ApiError(400, 'MALFORMED_ID', `malformed id ${id}`);
          return { id: String(c.ctx.store.delete(def.name, id, c.userId).Id) };
        }),
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/composite\/sobjects\/(\w+)\/?$/,
    name: 'collections.retrieve',
    handle: (c) => {
      const object = c.ctx.store.objectName(c.params[0] ?? '');
      const body = c.body as { ids?: unknown; fields?: unknown } | undefined;
      if (!Array.isArray(body?.ids) || !Array.isArray(body.fields)) {
        throw new ApiError(
          400,
          'JSON_PARSER_ERROR',
          'The request body must be { ids: [...], fields: [...] }',
        );
      }
      const fields = body.fields.map(String);
      return ok(
        body.ids.map((id) => {
          const rec = c.ctx.store.get(object, String(id));
          return rec ? toApiRecord(c.ctx, c.version, object, rec, ['Id', ...fields]) : null;
        }),
      );
    },
  },
];
