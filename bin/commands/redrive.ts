/**
 * `sfi redrive [--flow F] [--code C] [--id ID] [--dry-run]`: moves dead-lettered jobs back to the
 * jobs queue after their cause was fixed: all of them, or those of a flow, a failure code or a
 * record; `--dry-run` lists what would move and moves nothing.
 */
import { redrive } from '#shared/aws/redrive.ts';
import { dlqJobReader, type RedriveFilter, redriveSelector } from '#shared/ops/redrive-select.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { printJson, withTarget } from './with-target.ts';

export async function runRedrive(
  flags: TargetFlags,
  options: { filter: RedriveFilter; dryRun: boolean; json: boolean },
): Promise<number> {
  const result = await withTarget(flags, async (context, stores) => {
    const flows = context.config.flows.map((f) => f.name);
    const select = redriveSelector(stores.ledger, flows, options.filter);
    const out = await redrive({
      sqs: context.sqs,
      dlqUrl: context.outputs.deadLetterQueueUrl,
      jobsUrl: context.outputs.jobsQueueUrl,
      ...(select === undefined ? {} : { select }),
      dryRun: options.dryRun,
    });
    const read = dlqJobReader(stores.ledger);
    const jobs = await Promise.all(
      out.selected.map(async (m) => ({ messageId: m.messageId, ...(await read(m)) })),
    );
    return {
      dryRun: options.dryRun,
      [options.dryRun ? 'wouldMove' : 'moved']: options.dryRun ? out.picked : out.moved,
      scanned: out.scanned,
      jobs,
    };
  });
  if (options.json || options.dryRun) printJson(result);
  else
    process.stdout.write(
      `moved ${result.moved} of ${result.scanned} dead-lettered jobs back to the jobs queue\n`,
    );
  return 0;
}
