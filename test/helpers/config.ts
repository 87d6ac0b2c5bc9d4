import { loadSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';

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
