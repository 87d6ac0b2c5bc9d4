/**
 * Control-ID policies (DESIGN §3.2, §5): which writes count as "the same write", so that with
 * `uniqueid=true` a retried request cannot run twice. Mirrors write once per (record, version,
 * payload); documents once per record ever; alerts once per transition; reports once per period.
 */
import { controlId } from '../control-id.ts';

export const controlIds = {
  /** A mirror write: the same record, version and payload. */
  perVersion: (
    flow: string,
    kind: string,
    recordId: string,
    version: string | undefined,
    payloadHash: string,
  ) => controlId({ flow, kind, recordId, version, payloadHash }),
  /** A document: one per source record, whatever its version or content. */
  oncePerRecord: (flow: string, kind: string, recordId: string) =>
    controlId({ flow, kind, recordId, payloadHash: 'once' }),
  /** An alert action: one per transition into the condition. */
  perTransition: (flow: string, recordId: string, condition: string, enteredAt: string) =>
    controlId({ flow, kind: 'alert', recordId, version: enteredAt, payloadHash: condition }),
  /** A report row: one per key and period (and content, so a changed figure writes once more). */
  perPeriod: (flow: string, key: string, period: string, payloadHash: string) =>
    controlId({ flow, kind: 'report', recordId: key, version: period, payloadHash }),
};
