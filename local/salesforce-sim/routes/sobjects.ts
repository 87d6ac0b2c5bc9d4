import { ApiError } from '../api-error.ts';
import { formatRestDateTime, parseDateTime } from '../dates.ts';
import { describeGlobal, describeObject } from './describe.ts';
import { toApiRecord } from './records.ts';
import type { Route, RouteCall, RouteResult } from './route-types.ts';
import { externalIdField, MultipleMatchesError, upsertOne } from './upsert.ts';

const DAY = 86_400_000;

function objectOf(call: RouteCall, name: string | undefined) {
  const def = call.ctx.store.schema.object(name ?? '');
  if (!def) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def.name;
}

function bodyObject(call: RouteCall): Record<string, unknown> {
  const b = call.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return b as Record<string, unknown>;
}

const saved = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  success: true,
  errors: [],
  ...extra,
});

/** Parses the `start`/`end` of getUpdated/getDeleted (seconds are truncated, as Salesforce does). */
function window(call: RouteCall, maxDays: number) {
  const start = parseDateTime(call.url.searchParams.get('start') ?? '');
  const end = parseDateTime(call.url.searchParams.get('end') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new ApiError(400, 'INVALID_REPLICATION_DATE', 'start and end must be valid dateTime values');
  }
  const now = call.ctx.now();
  if (start >= end)
    throw new ApiError(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate');
  if (start < now - maxDays * DAY) {
    throw new ApiError(400, 'INVALID_REPLICATION_DATE', `startDate cannot be more than ${maxDays} days ago`);
  }
  const trunc = (ms: number) => Math.floor(ms / 1000) * 1000;
  return { start: trunc(start), end: Math.min(trunc(end), now) };
}

function retrieve(call: RouteCall): RouteResult {
  const object = objectOf(call, call.params[0]);
  const id = call.params[1] ?? '';
  const rec = call.ctx.store.get(object, id);
  if (!rec) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const fields = call.url.searchParams
    .get('fields')
    ?.split(',')
    .map((f) => f.trim());
  return { status: 200, body: toApiRecord(call.ctx, call.version, object, rec, fields) };
}

function upsert(call: RouteCall): RouteResult {
  const object = objectOf(call, call.params[0]);
  const field = externalIdField(call.ctx, object, call.params[1] ?? '');
  const value = decodeURIComponent(call.params[2] ?? '');
  try {
    const out = upsertOne(call.ctx, object, field, value, bodyObject(call), call.userId);
    return { status: out.created ? 201 : 200, body: saved(out.id, { created: out.created }) };
  } catch (error) {
    if (error instanceof MultipleMatchesError) {
      return {
        status: 300,
        body: error.ids.map((id) => `/services/data/v${call.version}/sobjects/${object}/${id}`),
      };
    }
    throw error;
  }
}

/** Single-record sObject routes, describe, and the replication (updated/deleted) resources. */
export const SOBJECT_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/sobjects\/?$/,
    name: 'describeGlobal',
    handle: (c) => ({ status: 200, body: describeGlobal(c.ctx, c.version) }),
  },
  {
    method: 'GET',
    pattern: /^\/sobjects\/(\w+)\/describe\/?$/,
    name: 'describe',
    handle: (c) => {
      const def = c.ctx.store.schema.object(objectOf(c, c.params[0]));
      return { status: 200, body: def && describeObject(c.ctx, c.version, def) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/sobjects\/(\w+)\/updated\/?$/,
    name: 'getUpdated',
    handle: (c) => {
      const object = objectOf(c, c.params[0]);
      const w = window(c, 30);
      const ids = c.ctx.store
        .list(object)
        .filter((r) => {
          const ms = parseDateTime(String(r.SystemModstamp));
          return ms >= w.start && ms < w.end;
        })
        .map((r) => String(r.Id));
      return { status: 200, body: { ids, latestDateCovered: formatRestDateTime(w.end) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/sobjects\/(\w+)\/deleted\/?$/,
    name: 'getDeleted',
    handle: (c) => {
      const object = objectOf(c, c.params[0]);
      const w = window(c, 15);
      const deletedRecords = c.ctx.store
        .list(object, true)
        .filter((r) => r.IsDeleted === true)
        .map((r) => ({ id: String(r.Id), deletedDate: String(r.SystemModstamp) }))
        .filter((d) => {
          const ms = parseDateTime(d.deletedDate);
          return ms >= w.start && ms < w.end;
        });
      return {
        status: 200,
        body: {
          deletedRecords,
          earliestDateAvailable: formatRestDateTime(c.ctx.now() - 15 * DAY),
          latestDateCovered: formatRestDateTime(w.end),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/sobjects\/(\w+)\/?$/,
    name: 'create',
    dml: true,
    handle: (c) => {
      const rec = c.ctx.store.create(objectOf(c, c.params[0]), bodyObject(c), c.userId);
      return { status: 201, body: saved(String(rec.Id)) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/sobjects\/(\w+)\/([a-zA-Z0-9]{15,18})\/?$/,
    name: 'retrieve',
    handle: retrieve,
  },
  {
    method: 'PATCH',
    pattern: /^\/sobjects\/(\w+)\/([a-zA-Z0-9]{15,18})\/?$/,
    name: 'update',
    dml: true,
    handle: (c) => {
      c.ctx.store.update(objectOf(c, c.params[0]), c.params[1] ?? '', bodyObject(c), c.userId);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/sobjects\/(\w+)\/([a-zA-Z0-9]{15,18})\/?$/,
    name: 'delete',
    dml: true,
    handle: (c) => {
      c.ctx.store.delete(objectOf(c, c.params[0]), c.params[1] ?? '', c.userId);
      return { status: 204 };
    },
  },
  { method: 'PATCH', pattern: /^\/sobjects\/(\w+)\/(\w+)\/(.+)$/, name: 'upsert', dml: true, handle: upsert },
  {
    method: 'GET',
    pattern: /^\/sobjects\/(\w+)\/(\w+)\/(.+)$/,
    name: 'retrieveByExternalId',
    handle: (c) => {
      const object = objectOf(c, c.params[0]);
      const field = externalIdField(c.ctx, object, c.params[1] ?? '');
      const [rec, ...more] = c.ctx.store.findByField(object, field, decodeURIComponent(c.params[2] ?? ''));
      if (!rec) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (more.length > 0)
        throw new MultipleMatchesError(
          field,
          [rec, ...more].map((r) => String(r.Id)),
        );
      return { status: 200, body: toApiRecord(c.ctx, c.version, object, rec) };
    },
  },
];
