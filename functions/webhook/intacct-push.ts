import { ValidationError } from '#shared/errors.ts';

/** Largest Intacct push body accepted; a Smart Event posts one record. */
export const MAX_PUSH_BYTES = 256 * 1024;
const MAX_EVENTS = 100;
const OBJECT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * One changed Intacct record, as posted by a Smart Event "HTTP post" action or a Platform Trigger.
 * The admin writes the body template (docs/deploying.md), e.g.
 * `{"object":"CUSTOMER","id":"{!CUSTOMER.CUSTOMERID!}","whenModified":"{!CUSTOMER.WHENMODIFIED!}"}`.
 */
export interface IntacctPushEvent {
  object: string;
  id: string;
  whenModified?: string;
}

const HINT = 'post {"object":"CUSTOMER","id":"…","whenModified":"…"} or an array of up to 100';

function invalid(message: string): never {
  throw new ValidationError(`invalid push event: ${message}`, { code: 'PUSH_INVALID', hint: HINT });
}

/** Checks one event by hand (the webhook bundle carries no schema library). */
function toEvent(raw: unknown, at: string): IntacctPushEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(`${at}: expected an object`);
  const { object, id, whenModified } = raw as Record<string, unknown>;
  if (typeof object !== 'string' || !OBJECT_NAME.test(object))
    invalid(`${at}.object: use the Intacct object name, e.g. CUSTOMER`);
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    invalid(`${at}.id: give the record's ID (1–200 characters)`);
  if (whenModified !== undefined && (typeof whenModified !== 'string' || whenModified.length > 40)) {
    invalid(`${at}.whenModified: give WHENMODIFIED as text (MM/DD/YYYY HH:MM:SS)`);
  }
  return whenModified === undefined ? { object, id } : { object, id, whenModified };
}

/** Parses a push body (one event or up to 100); throws ValidationError naming the bad field. */
export function parseIntacctPush(body: string): IntacctPushEvent[] {
  if (Buffer.byteLength(body, 'utf8') > MAX_PUSH_BYTES) {
    throw new ValidationError(`body exceeds ${MAX_PUSH_BYTES} bytes`, { code: 'PUSH_TOO_LARGE' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new ValidationError('body is not JSON', { code: 'PUSH_MALFORMED', hint: HINT });
  }
  if (!Array.isArray(raw)) return [toEvent(raw, '(root)')];
  if (raw.length === 0 || raw.length > MAX_EVENTS) invalid(`(root): send 1 to ${MAX_EVENTS} events`);
  return raw.map((e, i) => toEvent(e, String(i)));
}
