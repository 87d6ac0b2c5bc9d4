/**
 * `sfi redrive [--flow F] [--code C] [--id ID] [--dry-run]`: which DLQ messages move back. A
 * message is a job (flow, record ID); its failure code is the one the worker attached when it
 * dead-lettered it, or, for a job that ran out of receives, the codes of its record's open
 * failures in the ledger.
 */
import type { Ledger } from '#shared/aws/ledger.ts';
import type { DlqMessage } from '#shared/aws/redrive.ts';
import { knownFlow } from './operate.ts';

export interface RedriveFilter {
  flow?: string;
  code?: string;
  /** A record ID (either side's) or the DLQ message ID. */
  id?: string;
}

export interface DlqJob {
  flow?: string;
  recordId?: string;
  codes: string[];
}

function parseJob(body: string): { flow?: string; recordId?: string } {
  try {
    const job = JSON.parse(body) as { flow?: unknown; recordId?: unknown };
    return {
      ...(typeof job.flow === 'string' ? { flow: job.flow } : {}),
      ...(typeof job.recordId === 'string' ? { recordId: job.recordId } : {}),
    };
  } catch {
    return {};
  }
}

/** Reads a DLQ message as a job with its failure codes (ledger codes looked up once per flow). */
export function dlqJobReader(ledger: Ledger): (message: DlqMessage) => Promise<DlqJob> {
  const openCodes = new Map<string, Promise<Map<string, string[]>>>();
  const codesOf = (flow: string) => {
    let found = openCodes.get(flow);
    if (found === undefined) {
      found = ledger.openFailures(flow).then((open) => {
        const byRecord = new Map<string, string[]>();
        for (const f of open) {
          const id = f.ids.recordId ?? f.id;
          byRecord.set(id, [...(byRecord.get(id) ?? []), f.code]);
        }
        return byRecord;
      });
      openCodes.set(flow, found);
    }
    return found;
  };
  return async (message) => {
    const job = parseJob(message.body);
    const attached = message.attributes.errorCode;
    const codes =
      attached !== undefined && attached !== '-'
        ? [attached]
        : job.flow !== undefined && job.recordId !== undefined
          ? ((await codesOf(job.flow)).get(job.recordId) ?? [])
          : [];
    return { ...job, codes };
  };
}

/** The select function for redrive(), after checking the flow is one of the config's. */
export function redriveSelector(
  ledger: Ledger,
  flows: readonly string[],
  filter: RedriveFilter,
): ((message: DlqMessage) => Promise<boolean>) | undefined {
  if (filter.flow === undefined && filter.code === undefined && filter.id === undefined) return undefined;
  if (filter.flow !== undefined) knownFlow(flows, filter.flow);
  const read = dlqJobReader(ledger);
  return async (message) => {
    const job = await read(message);
    if (filter.flow !== undefined && job.flow !== filter.flow) return false;
    if (filter.id !== undefined && job.recordId !== filter.id && message.messageId !== filter.id)
      return false;
    if (filter.code !== undefined && !job.codes.includes(filter.code)) return false;
    return true;
  };
}
