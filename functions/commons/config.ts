import { parseSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { rawConfigFromEnv } from './config-raw.ts';

/**
 * The sync config. Deployed, the stack compiles it into the bundle by replacing the literal
 * expression `process.env.SYNC_CONFIG` (esbuild define; the environment is too small for it);
 * locally the runtime sets the variable. Either way it is validated again at cold start.
 */
export function loadConfigFromEnv(): SyncConfig {
  return parseSyncConfig(rawConfigFromEnv(), 'SYNC_CONFIG');
}
