/** The webhook secret's shape: the path token and the Intacct push sources' secrets. */
export interface WebhookSecret {
  /** When set, the outbound-message URL must end in /{token} with this value. */
  salesforcePathToken?: string;
  /** When set, Intacct push requests must carry it in the x-sfi-secret header or as the last path segment. */
  intacctSharedSecret?: string;
  /** Named push sources, each with its own secret (used like intacctSharedSecret, which is source "default"). */
  intacctSources?: Record<string, string>;
}
