import * as z from 'zod/v4';
import { ValidationError } from '#shared/errors.ts';

/** The gateway every first call goes to; getAPISession may hand back a company-specific one. */
export const DEFAULT_INTACCT_ENDPOINT = 'https://api.intacct.com/ia/xml/xmlgw.phtml';

/** Shape of the Intacct secret (Secrets Manager JSON in production, the simulator's ready line locally). */
export const intacctCredentialsSchema = z.object({
  endpoint: z.url().optional(),
  senderId: z.string().min(1),
  senderPassword: z.string().min(1),
  companyId: z.string().min(1),
  userId: z.string().min(1),
  userPassword: z.string().min(1),
  /** Multi-entity: the entity (location ID) to log into; omitted = top level. */
  entityId: z.string().min(1).optional(),
});

/** Validated Intacct credentials. */
export type IntacctCredentials = z.infer<typeof intacctCredentialsSchema>;

/** Parses the secret JSON (string or object); the error names the bad fields, never their values. */
export function parseIntacctCredentials(input: unknown): IntacctCredentials {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ValidationError('Intacct credentials are not valid JSON', {
        code: 'INTACCT_CONFIG',
        hint: 'store { senderId, senderPassword, companyId, userId, userPassword, entityId?, endpoint? } as JSON',
      });
    }
  }
  const parsed = intacctCredentialsSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new ValidationError(`Intacct credentials are invalid at: ${fields}`, {
      code: 'INTACCT_CONFIG',
      hint: 'the secret needs senderId, senderPassword, companyId, userId and userPassword (strings)',
      meta: { fields },
    });
  }
  return parsed.data;
}
