import { ApiError } from '../api-error.ts';
import type { SimContext } from '../context.ts';

/** Several live records share the external-ID value: HTTP 300 for single upserts. */
export class MultipleMatchesError extends ApiError {
  readonly ids: string[];

  constructor(field: string, ids: string[]) {
    super(
      300,
      'MULTIPLE_CHOICES',
      `${field}: more than one record found for external id field: [${ids.join(', ')}]`,
      [field],
    );
    this.ids = ids;
  }
}

/** Outcome of an upsert by external ID. */
export type UpsertOutcome = { id: string; created: boolean };

/** The external-ID field for an upsert URL, or 404 NOT_FOUND as Salesforce answers. */
export function externalIdField(ctx: SimContext, object: string, field: string): string {
  const def = ctx.store.schema.field(object, field);
  if (!def || (!def.externalId && def.name !== 'Id')) {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${field}`,
    );
  }
  return def.name;
}

/**
 * Creates the record when no live record has `field = value`, updates it when exactly one has,
 * and fails with MULTIPLE_CHOICES (HTTP 300) when several have.
 */
export function upsertOne(
  ctx: SimContext,
  object: string,
  field: string,
  value: string,
  body: Record<string, unknown>,
  userId: string,
): UpsertOutcome {
  const fields = Object.fromEntries(
    Object.entries(body).filter(([k]) => k.toLowerCase() !== field.toLowerCase()),
  );
  const matches =
    field === 'Id'
      ? [ctx.store.get(object, value)].filter((r) => r !== undefined)
      : ctx.store.findByField(object, field, value);
  if (matches.length > 1) {
    throw new MultipleMatchesError(
      field,
      matches.map((m) => String(m.Id)),
    );
  }
  const [match] = matches;
  if (match) {
    ctx.store.update(object, String(match.Id), fields, userId);
    return { id: String(match.Id), created: false };
  }
  if (field === 'Id') throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const rec = ctx.store.create(object, { ...fields, [field]: value }, userId);
  return { id: String(rec.Id), created: true };
}
