import { createHash } from 'node:crypto';

/**
 * A deterministic Intacct function control ID for one write: the same (flow, operation, record,
 * version, payload) always yields the same ID, so with `uniqueid=true` a retried request cannot
 * apply the write twice (promise 2).
 */
export function controlId(parts: {
  flow: string;
  kind: string;
  recordId: string;
  version?: string;
  payloadHash: string;
}): string {
  const digest = createHash('sha256')
    .update([parts.flow, parts.kind, parts.recordId, parts.version ?? '-', parts.payloadHash].join('|'))
    .digest('hex')
    .slice(0, 24);
  return `sfi-${parts.kind}-${digest}`;
}
