/**
 * `sfi backfill <flow> [--since D] [--dry-run] [--no-wait]`: re-reads a flow's records changed
 * since a date (default: all) into backfill jobs (bulk work: the budget governor may defer it),
 * then follows the jobs queue until they are worked off, with a progress line on stderr.
 * `--dry-run` prints the plan and its API cost instead, writing nothing (`sfi dry-run`).
 */

import { backfill, dryRun } from '#shared/ops/on-demand.ts';
import { queueDepth } from '#shared/ops/ops-status.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { progress } from './progress.ts';
import { printJson, withTarget } from './with-target.ts';

/** How long the command follows the queue at most (the jobs go on without it). */
const FOLLOW_MS = 6 * 3600_000;

export async function runBackfill(
  flags: TargetFlags,
  options: { flow: string; since?: string; dryRun: boolean; wait: boolean; json: boolean; followMs?: number },
): Promise<number> {
  if (options.dryRun) return runDryRun(flags, { ...options, limit: undefined });
  return withTarget(flags, async (context) => {
    const enumerating = progress(`backfill ${options.flow}: enumerating`);
    const result = await backfill(context, options.flow, options.since, (_, total) =>
      enumerating.update(total),
    );
    enumerating.end(`${result.enqueued} jobs enqueued in ${result.invocations} scheduler invocation(s)`);
    let remaining: number | undefined;
    if (options.wait && result.enqueued > 0) {
      const working = progress(`backfill ${options.flow}: syncing`);
      const deadline = Date.now() + (options.followMs ?? FOLLOW_MS);
      for (;;) {
        const q = await queueDepth(context.sqs, context.outputs.jobsQueueUrl);
        // The queue may hold other work too: done counts what left it, at most what was enqueued.
        remaining = Math.min(result.enqueued, q.visible + q.inFlight + q.delayed);
        working.update(result.enqueued - remaining, result.enqueued);
        if (remaining === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      working.end(
        remaining === 0
          ? 'done (failures, if any: sfi failures)'
          : `${remaining} still queued; they go on without this command (sfi status)`,
      );
    }
    const doc = { ...result, ...(remaining === undefined ? {} : { stillQueued: remaining }) };
    if (options.json) printJson(doc);
    return 0;
  });
}

interface PlanItem {
  action: string;
  salesforceId?: string;
  intacctKey?: string;
  recordId?: string;
  code?: string;
  message?: string;
  diff?: Record<string, { from: unknown; to: unknown }>;
}

/** `sfi dry-run <flow> [--since D]`: the plan and its API cost, nothing written. */
export async function runDryRun(
  flags: TargetFlags,
  options: { flow: string; since?: string; json: boolean; limit?: number },
): Promise<number> {
  return withTarget(flags, async (context) => {
    process.stderr.write(`dry-run ${options.flow}: reading, planning, writing nothing…\n`);
    const plan = (await dryRun(context, options.flow, options.since, options.limit)) as {
      counts: Record<string, number>;
      cost: Record<string, number>;
      items: PlanItem[];
      truncated?: boolean;
      partial?: boolean;
    };
    if (options.json) {
      printJson(plan);
      return 0;
    }
    const lines = [
      `${options.flow}${options.since === undefined ? '' : ` since ${options.since}`}: ${Object.entries(
        plan.counts,
      )
        .map(([action, n]) => `${n} ${action}`)
        .join(', ')}`,
      `API cost: ${Object.entries(plan.cost)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ')}`,
      ...plan.items.map((item) => {
        const ids = [item.salesforceId, item.intacctKey ?? item.recordId].filter(Boolean).join(' ⇄ ');
        const diff = Object.entries(item.diff ?? {})
          .map(([field, d]) => `${field}: ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)}`)
          .join('; ');
        const why = item.code === undefined ? '' : ` ${item.code}: ${item.message ?? ''}`;
        return `  ${item.action.padEnd(6)} ${ids}${diff === '' ? '' : `  ${diff}`}${why}`;
      }),
      ...(plan.truncated ? ['  … (more: --json, or --limit)'] : []),
      ...(plan.partial ? ['(the plan stopped at the time budget: it covers the records listed so far)'] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  });
}
