import * as z from 'zod/v4';

/** The Salesforce API version the sync is written and tested against. */
export const DEFAULT_API_VERSION = '62.0';

/**
 * Shape of the Salesforce secret (the JSON stored in Secrets Manager, or the simulator's ready
 * line locally):
 *
 * ```json
 * { "loginUrl": "https://acme.my.salesforce.com", "authFlow": "client_credentials",
 *   "clientId": "3MVG9…", "clientSecret": "…", "apiVersion": "62.0" }
 * { "loginUrl": "https://login.salesforce.com", "authFlow": "jwt", "clientId": "3MVG9…",
 *   "username": "integration@acme.com", "privateKey": "-----BEGIN PRIVATE KEY-----\n…" }
 * { "loginUrl": "http://127.0.0.1:4010", "authFlow": "password", "clientId": "…",
 *   "clientSecret": "…", "username": "…", "password": "…" }
 * ```
 *
 * `password` is for local use and legacy orgs only (Salesforce is retiring the flow).
 * `audience` overrides the JWT `aud` claim (default: the login URL, or login/test.salesforce.com
 * for those hosts).
 */
export const SalesforceConfigSchema = z
  .object({
    loginUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    authFlow: z.enum(['jwt', 'client_credentials', 'password']),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    privateKey: z.string().includes('PRIVATE KEY').optional(),
    audience: z.string().optional(),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/, 'apiVersion looks like "62.0" (no leading v)')
      .default(DEFAULT_API_VERSION),
  })
  .superRefine((c, ctx) => {
    const need = (field: keyof typeof c, why: string) => {
      if (!c[field]) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
    };
    if (c.authFlow === 'jwt') {
      need('username', 'for the jwt flow (the integration user)');
      need('privateKey', 'for the jwt flow (PEM of the key whose certificate is on the connected app)');
    }
    if (c.authFlow === 'client_credentials') need('clientSecret', 'for the client_credentials flow');
    if (c.authFlow === 'password') {
      need('clientSecret', 'for the password flow');
      need('username', 'for the password flow');
      need('password', 'for the password flow (append the security token if the org requires one)');
    }
  });

/** Validated Salesforce connection settings. */
export type SalesforceConfig = z.output<typeof SalesforceConfigSchema>;
/** What callers may pass in (apiVersion optional). */
export type SalesforceConfigInput = z.input<typeof SalesforceConfigSchema>;

/** Parses the secret JSON, throwing an error that names every bad path (secrets never echoed). */
export function parseSalesforceConfig(input: unknown): SalesforceConfig {
  const result = SalesforceConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`invalid Salesforce config: ${problems}`);
}
