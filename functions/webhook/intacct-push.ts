import { z } from 'zod';
import { ValidationError } from '#shared/errors.ts';

/** Largest Intacct push body accepted; a Smart Event posts one record. */
export const MAX_PUSH_BYTES = 256 * 1024;

/**
 * One changed Intacct record, as posted by a Smart Event "HTTP post" action or a Platform Trigger.
 * The admin writes the body template (docs/deploying.md), e.g.
 * `{"object":"CUSTOMER","id":"{!CUSTOMER.CUSTOMERID!}","whenModified":"{!CUSTOMER.WHENMODIFIED!}"}`.
 */
const pushEvent = z.object({
  object: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use the Intacct object name, e.g. CUSTOMER'),
  id: z.string().min(1).max(200),
  whenModified: z.string().max(40).optional(),
});

const pushBody = z.union([pushEvent, z.array(pushEvent).min(1).max(100)]);

export type IntacctPushEvent = z.infer<typeof pushEvent>;

/** Parses a push body (one event or up to 100); throws ValidationError naming the bad field. */
export function parseIntacctPush(body: string): IntacctPushEvent[] {
  if (Buffer.byteLength(body, 'utf8') > MAX_PUSH_BYTES) {
    throw new ValidationError(`body exceeds ${MAX_PUSH_BYTES} bytes`, { code: 'PUSH_TOO_LARGE' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new ValidationError('body is not JSON', {
      code: 'PUSH_MALFORMED',
      hint: 'post {"object":"CUSTOMER","id":"…","whenModified":"…"}',
    });
  }
  const parsed = pushBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`invalid push event: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      code: 'PUSH_INVALID',
      hint: 'post {"object":"CUSTOMER","id":"…","whenModified":"…"}',
    });
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}
