/**
 * The JSON each Secrets Manager secret holds. The stateful stack creates the secrets with
 * placeholder values; the operator fills them in (docs/deploying.md) and the functions validate
 * them when they first read them. No CDK import: handlers may import the types and the
 * placeholder check.
 */

/** Marks a value the operator has not filled in yet; a function must refuse to use it. */
export const SECRET_PLACEHOLDER = 'REPLACE_ME';

/**
 * Salesforce connected-app credentials (secret `<prefix>/salesforce`).
 * - `loginUrl`: `https://login.salesforce.com`, `https://test.salesforce.com` or a My Domain URL.
 * - `authFlow`: `jwt` (needs `username` + `privateKey`), `client_credentials` (needs
 *   `clientSecret`) or `password` (needs `username`, `password`, `clientSecret`).
 */
export interface SalesforceSecret {
  loginUrl: string;
  authFlow: 'jwt' | 'client_credentials' | 'password';
  clientId: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** PEM private key of the certificate uploaded to the connected app (JWT bearer flow). */
  privateKey?: string;
}

/**
 * Intacct Web Services credentials (secret `<prefix>/intacct`). `endpoint` defaults to the
 * public XML gateway; `entityId` selects an entity in a multi-entity company.
 */
export interface IntacctSecret {
  endpoint?: string;
  senderId: string;
  senderPassword: string;
  companyId: string;
  userId: string;
  userPassword: string;
  entityId?: string;
}

/**
 * Webhook authentication (secret `<prefix>/webhook`). `salesforcePathToken` is generated at
 * deploy time and is the last path segment of the outbound-message URL. `intacctSharedSecret`
 * (at least 16 characters, sent by Intacct in the `x-sfi-secret` header) is absent at first,
 * which keeps the Intacct push route closed until the operator adds it. `intacctSources` gives
 * several senders each its own secret (name → secret, each at least 16 characters), so one can be
 * revoked alone; `intacctSharedSecret` counts as the source named `default`.
 */
export interface WebhookSecret {
  salesforcePathToken: string;
  intacctSharedSecret?: string;
  intacctSources?: Record<string, string>;
}

/** The value the Salesforce secret is created with. */
export const SALESFORCE_SECRET_TEMPLATE: SalesforceSecret = {
  loginUrl: 'https://login.salesforce.com',
  authFlow: 'jwt',
  clientId: SECRET_PLACEHOLDER,
  username: SECRET_PLACEHOLDER,
  privateKey: SECRET_PLACEHOLDER,
};

/** The value the Intacct secret is created with. */
export const INTACCT_SECRET_TEMPLATE: IntacctSecret = {
  senderId: SECRET_PLACEHOLDER,
  senderPassword: SECRET_PLACEHOLDER,
  companyId: SECRET_PLACEHOLDER,
  userId: SECRET_PLACEHOLDER,
  userPassword: SECRET_PLACEHOLDER,
};

/** True when any field of a secret still holds the placeholder, i.e. the operator has not filled it in. */
export function hasPlaceholder(secret: object): boolean {
  return Object.values(secret).some((value) => value === SECRET_PLACEHOLDER);
}
