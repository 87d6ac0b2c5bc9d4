/**
 * A `records` projection's inputs per item: its own link (by the Intacct record's key), the
 * record's values (the job's snapshot, or one batched re-read), and the related rows of each
 * related read (one query per read and batch), so every value the target names can be looked up.
 */
import type { ProjectionFlow } from '../../flow-schema.ts';
import { linksBy } from '../../kernel/links.ts';
import { runStep } from '../../kernel/step.ts';
import { pending } from '../../kernel/work-items.ts';
import type { Values } from '../../mapping.ts';
import type { RecordsTarget } from '../../records-schema.ts';
import { isOlder } from '../../versions.ts';
import type { KindContext } from '../context.ts';
import type { RecordItem } from './item.ts';
import { fromSnapshots, meetsFilter, recordFields } from './source.ts';

/** The values a name stands for: the record's field, or every related row's (`ORIGIN.DOCID`). */
export function valuesOf(target: RecordsTarget, item: RecordItem, name: string): string[] {
  const dot = name.indexOf('.');
  const related = dot > 0 ? target.related.find((r) => r.name === name.slice(0, dot)) : undefined;
  const raw =
    related === undefined
      ? [item.source?.values[name] ?? null]
      : (item.related?.[related.name] ?? []).map((row) => row[name.slice(dot + 1)] ?? null);
  return [...new Set(raw.filter((v): v is string => v !== null && v.trim() !== '').map((v) => v.trim()))];
}

export async function loadRecords(
  context: KindContext,
  flow: ProjectionFlow,
  target: RecordsTarget,
  items: RecordItem[],
): Promise<void> {
  const step = (name: string) => ({ flow: flow.name, step: name, logger: context.logger });
  await runStep(step('read links'), items, async () => {
    const links = await linksBy(
      context.crosswalk,
      flow.name,
      'intacct',
      items.map((i) => i.id),
    );
    for (const item of items) item.link = links.get(item.id);
  });
  const fields = [...new Set(['RECORDNO', 'WHENMODIFIED', ...recordFields(flow, target)])];
  const reread = fromSnapshots(pending(items), fields);
  await runStep(step('read source'), reread, async () => {
    const rows = await context.intacct.findBy(
      flow.intacctObject,
      fields,
      flow.intacctKeyField,
      reread.map((i) => i.id),
    );
    const byKey = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      const key = row.values[flow.intacctKeyField];
      if (key !== null && key !== undefined && meetsFilter(flow, row.values)) byKey.set(key, row);
    }
    for (const item of reread) {
      const row = byKey.get(item.id);
      if (row === undefined) item.outcome = { status: 'done', action: 'skip:source-not-found' };
      else item.source = { id: item.id, version: row.version, values: row.values };
    }
  });
  for (const item of pending(items))
    if (isOlder(item.source?.version, item.link?.intacctVersion))
      item.outcome = { status: 'done', action: 'skip:older-version' };
  for (const read of target.related) {
    const live = pending(items);
    await runStep(step(`read ${read.object}`), live, async () => {
      const wanted = [...new Set(live.flatMap((i) => valuesOf(target, i, read.on)))];
      const rows =
        wanted.length === 0
          ? []
          : await context.intacct.findBy(read.object, [read.match, ...read.fields], read.match, wanted);
      const byMatch = new Map<string, Values[]>();
      for (const row of rows) {
        const m = row.values[read.match];
        if (m !== null && m !== undefined) byMatch.set(m, [...(byMatch.get(m) ?? []), row.values]);
      }
      for (const item of live)
        item.related = {
          ...item.related,
          [read.name]: valuesOf(target, item, read.on).flatMap((v) => byMatch.get(v) ?? []),
        };
    });
  }
}
