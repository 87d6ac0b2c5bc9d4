/**
 * The step runner: one batched call on behalf of many items. If the call throws, every item it
 * covered that has no outcome yet gets the failure as its outcome (retry or dead, by the error),
 * and the log line names the flow and the records.
 */
import type { Logger } from '#shared/observability/logger.ts';
import { wrap } from './failures.ts';
import type { WorkItem } from './work-items.ts';

/** How many record IDs a step-failure log line lists. */
const LOGGED_IDS = 20;

export async function runStep<T extends WorkItem>(
  context: { flow: string; step: string; logger: Logger },
  items: readonly T[],
  fn: () => Promise<void>,
  force?: 'retry',
): Promise<void> {
  if (items.length === 0) return;
  try {
    await fn();
  } catch (error) {
    const e = wrap(error, 'STEP_FAILED');
    context.logger.warn('sync step failed', {
      flow: context.flow,
      step: context.step,
      code: e.code,
      retryable: e.retryable,
      message: e.message,
      records: items.length,
      recordIds: items.slice(0, LOGGED_IDS).map((i) => i.id),
    });
    for (const item of items) {
      if (item.outcome !== undefined) continue;
      item.outcome =
        force === 'retry' || e.retryable ? { status: 'retry', error: e } : { status: 'dead', error: e };
    }
  }
}
