/**
 * The `failure-digest` schedule: one run of the failure digest over every flow. It enqueues no
 * jobs; its run record says what went out.
 */
import type { DigestOutcome } from '#shared/ops/digest.ts';
import type { ScheduleTask } from './use-case.ts';

export function makeDigestTask(digest: () => Promise<DigestOutcome[]>): ScheduleTask {
  return async () => {
    const outcomes = await digest();
    const sent = outcomes.flatMap((o) => (o.sent ? [`${o.flow}: ${o.digest.failures}`] : []));
    return {
      enqueued: 0,
      detail:
        sent.length === 0
          ? 'no new failures: nothing sent'
          : `sent ${sent.length} digest${sent.length === 1 ? '' : 's'} (new failures by flow: ${sent.join(', ')})`,
    };
  };
}
