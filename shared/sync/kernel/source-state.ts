/**
 * Source state (DESIGN §3.3, §5): a job's versioned snapshot when it is complete and was taken
 * after our last write to that side; else one batched re-read. A snapshot from before our write
 * would carry values we have since replaced and, having no newer version, could not be told apart.
 */

import type { Logger } from '#shared/observability/logger.ts';
import type { Side } from '../mapping.ts';
import type { Link, SideRecord, SystemPort } from '../ports.ts';
import { versionMs } from '../versions.ts';
import { runStep } from './step.ts';
import type { WorkItem } from './work-items.ts';

export interface SourceItem extends WorkItem {
  link?: Link;
  source?: SideRecord;
}

/** Margin for clock skew between us and the system's timestamps (re-reading more is only a cost). */
const WRITE_SKEW_MS = 5_000;

/** True when a snapshot's version is not clearly after our last write to its side. */
export function predatesOurWrite(
  version: string | undefined,
  link: Link | undefined,
  side: Side,
  skewMs = WRITE_SKEW_MS,
): boolean {
  const written = side === 'intacct' ? link?.intacctWrittenAt : link?.salesforceWrittenAt;
  const v = versionMs(version);
  const w = versionMs(written);
  return v !== undefined && w !== undefined && v <= w + skewMs;
}

/** Sets `source` on every pending item; a record the source no longer has ends as `skip:source-not-found`. */
export async function loadSources<T extends SourceItem>(
  context: { flow: string; logger: Logger },
  items: readonly T[],
  side: Side,
  read: { port: SystemPort; object: string; fields: readonly string[] },
): Promise<void> {
  const reread: T[] = [];
  for (const item of items) {
    if (item.outcome !== undefined) continue;
    const snap = item.job.snapshot;
    const complete =
      snap !== undefined && item.job.version !== undefined && read.fields.every((f) => f in snap);
    if (complete && !predatesOurWrite(item.job.version, item.link, side)) {
      item.source = {
        id: item.id,
        version: item.job.version,
        recordNo: snap.RECORDNO ?? undefined,
        values: { ...snap },
      };
    } else reread.push(item);
  }
  await runStep({ ...context, step: 'read source' }, reread, async () => {
    const found = await read.port.read(
      read.object,
      read.fields,
      reread.map((i) => i.id),
    );
    for (const item of reread) {
      item.source = found.get(item.id);
      if (item.source === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
    }
  });
}
