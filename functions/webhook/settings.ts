import { ValidationError } from '#shared/errors.ts';
import type { RoutableFlow } from '#shared/sync/routing.ts';
import { DEFAULT_PUSH_OPTIONS, type IntacctPushOptions } from './intacct-route.ts';
import type { WebhookSecret } from './secret.ts';

/**
 * What the webhook needs from the sync config: the org to accept and the object → flow routes.
 * The config was validated at synth; this only re-checks the few fields it reads, by hand, so the
 * webhook bundle carries no schema library (DESIGN §8: webhook ≤ 150 KB).
 */
export function webhookSettings(raw: unknown): {
  orgId: string;
  flows: RoutableFlow[];
  intacctTimeZone: string;
  allowedSourceCidrs?: string[];
  intacctPush: IntacctPushOptions;
} {
  const config = raw as {
    salesforce?: { orgId?: unknown };
    intacct?: { timezone?: unknown };
    flows?: unknown;
    webhook?: {
      allowedSourceCidrs?: unknown;
      intacctPush?: Partial<Record<keyof IntacctPushOptions, unknown>>;
    };
  };
  const zone = config?.intacct?.timezone;
  const orgId = config?.salesforce?.orgId;
  const flows = Array.isArray(config?.flows) ? config.flows : [];
  const routes = flows
    .filter((f: { enabled?: unknown }) => f?.enabled !== false)
    .map(
      (f: {
        name?: unknown;
        kind?: unknown;
        salesforceObject?: unknown;
        intacctObject?: unknown;
        direction?: unknown;
      }) => ({
        name: String(f?.name ?? ''),
        salesforceObject: String(f?.salesforceObject ?? ''),
        intacctObject: String(f?.intacctObject ?? ''),
        // A projection writes Salesforce from Intacct only, a document Intacct from Salesforce only.
        direction:
          f?.kind === 'projection' || f?.kind === 'alert'
            ? 'toSalesforce'
            : f?.kind === 'document'
              ? 'toIntacct'
              : f?.direction === 'toIntacct' || f?.direction === 'toSalesforce'
                ? f.direction
                : 'both',
      }),
    ) satisfies RoutableFlow[];
  if (
    typeof orgId !== 'string' ||
    routes.length === 0 ||
    routes.some((r) => !r.name || !r.salesforceObject || !r.intacctObject)
  ) {
    throw new ValidationError('the compiled sync config lacks salesforce.orgId or complete flows', {
      code: 'CONFIG_INVALID',
      hint: 'run "npm run sfi -- config validate" and deploy again',
    });
  }
  const cidrs = config.webhook?.allowedSourceCidrs;
  const push = config.webhook?.intacctPush;
  return {
    orgId,
    flows: routes,
    intacctTimeZone: typeof zone === 'string' ? zone : 'UTC',
    // Validated at synth (shared/config/webhook-config.ts); only the types are re-checked here.
    ...(Array.isArray(cidrs) ? { allowedSourceCidrs: cidrs.filter((c) => typeof c === 'string') } : {}),
    intacctPush: {
      replayWindowSeconds:
        typeof push?.replayWindowSeconds === 'number'
          ? push.replayWindowSeconds
          : DEFAULT_PUSH_OPTIONS.replayWindowSeconds,
      requireReplayHeaders: push?.requireReplayHeaders === true,
    },
  };
}

const SOURCE_NAME = /^[a-z][a-z0-9-]{0,40}$/;
const SECRET_HINT = 'use a random string of at least 16 characters';

/**
 * Checks the webhook secret's JSON: every value optional, each secret at least 16 characters;
 * `intacctSources` maps source names (lower-case, digits, dashes) to their secrets.
 */
export function parseWebhookSecret(raw: unknown): WebhookSecret {
  if (typeof raw !== 'object' || raw === null) throw new Error('expected a JSON object');
  const out: WebhookSecret = {};
  for (const key of ['salesforcePathToken', 'intacctSharedSecret'] as const) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length < 16) throw new Error(`${key}: ${SECRET_HINT}`);
    out[key] = value;
  }
  const sources = (raw as Record<string, unknown>).intacctSources;
  if (sources === undefined) return out;
  if (typeof sources !== 'object' || sources === null || Array.isArray(sources))
    throw new Error('intacctSources: map each source name to its secret');
  out.intacctSources = {};
  for (const [name, value] of Object.entries(sources)) {
    if (!SOURCE_NAME.test(name))
      throw new Error(`intacctSources: name "${name}": use lower-case letters, digits and dashes`);
    // The message names the source, never the value.
    if (typeof value !== 'string' || value.length < 16)
      throw new Error(`intacctSources.${name}: ${SECRET_HINT}`);
    out.intacctSources[name] = value;
  }
  return out;
}
