import { requireEnv } from './runtime.ts';

/**
 * The sync config JSON, unvalidated. Deployed, the stack compiles it into the bundle by replacing
 * the literal expression `process.env.SYNC_CONFIG` (esbuild define; Lambda's 4 KB environment
 * cannot hold it); locally the runtime sets the variable.
 */
export function rawConfigFromEnv(): unknown {
  const json = process.env.SYNC_CONFIG;
  return JSON.parse(json === undefined || json === '' ? requireEnv('SYNC_CONFIG') : json);
}
