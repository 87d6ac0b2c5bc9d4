import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '#shared/errors.ts';

/** How long a fetched secret is reused by a warm Lambda before it is read again (rotation). */
const CACHE_MS = 5 * 60 * 1000;

/**
 * Returns a cached reader for one JSON secret. Deployed, the secret comes from Secrets Manager by
 * ARN (`<NAME>_ARN`); locally, from `<NAME>_JSON` in the environment. The value is checked by
 * `parse` and is never logged.
 */
export function secretReader<T>(options: {
  name: string;
  /** Checks the parsed JSON and returns the typed value; throws with a message naming the bad field. */
  parse: (raw: unknown) => T;
  env?: NodeJS.ProcessEnv;
  client?: SecretsManagerClient;
  now?: () => number;
}): () => Promise<T> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const arn = env[`${options.name}_ARN`];
  const inline = env[`${options.name}_JSON`];
  let cached: { value: T; at: number } | undefined;
  return async () => {
    if (cached !== undefined && now() - cached.at < CACHE_MS) return cached.value;
    // Checked on first use, not at cold start: a function that never needs the secret still runs.
    if (arn === undefined && inline === undefined) {
      throw new ValidationError(`neither ${options.name}_ARN nor ${options.name}_JSON is set`, {
        code: 'CONFIG_MISSING',
        hint: `set ${options.name}_ARN to the secret's ARN (the stack does this) or ${options.name}_JSON locally`,
      });
    }
    let text = inline;
    if (arn !== undefined) {
      const client = options.client ?? new SecretsManagerClient({});
      const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      text = out.SecretString;
    }
    const value = parseSecret(options.name, text ?? '', options.parse);
    cached = { value, at: now() };
    return value;
  };
}

function parseSecret<T>(name: string, text: string, parse: (raw: unknown) => T): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError(`secret ${name} is not JSON`, {
      code: 'SECRET_INVALID',
      hint: 'store the secret as a JSON object (see docs/deploying.md)',
    });
  }
  try {
    return parse(raw);
  } catch (error) {
    throw new ValidationError(`secret ${name} has the wrong shape: ${(error as Error).message}`, {
      code: 'SECRET_INVALID',
      hint: 'fix the secret value to match the JSON shape in docs/deploying.md',
    });
  }
}
