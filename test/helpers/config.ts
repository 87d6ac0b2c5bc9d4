import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadSyncConfig, parseSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { ValidationError } from '#shared/errors.ts';

/** The repository's config file as JSON, switched-off flows included. */
export const shippedConfigJson = (): Record<string, unknown> =>
  JSON.parse(readFileSync('sync.config.json', 'utf8')) as Record<string, unknown>;

/** Every problem parseSyncConfig lists for `raw` (as file my.json); [] when it is valid. */
export function configProblems(raw: unknown): string[] {
  try {
    parseSyncConfig(raw, 'my.json');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).meta.problems as string[];
  }
}

/** The repository's sync config with overrides for a test (validated like any config). */
export function testConfig(overrides: { worker?: Partial<SyncConfig['worker']> } = {}): SyncConfig {
  const config = loadSyncConfig('sync.config.json');
  return { ...config, worker: { ...config.worker, ...overrides.worker } };
}

/** Polls `check` every 50 ms until it returns true or `timeoutMs` passes (then throws). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
