/**
 * The backfill operation (`sfi backfill <flow> [--since]`): a flow's records changed since a date,
 * from every side it syncs from, into one `backfill` job each, page by page. Each side works under
 * its own lease (`backfill#<flow>#<side>`) and saves its position after every enqueued page in its
 * own poll state (`backfill#<flow>`, never the delta polls' watermarks or positions), so when the
 * invocation's time budget runs out it answers `partial` and the next invocation with the same
 * flow and since resumes there; another since starts over.
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import type { RunRecord, StateStore } from '#shared/aws/state-store.ts';
import { SyncError } from '#shared/errors.ts';
import type { PollState } from '#shared/sync/delta.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import type { Side } from '#shared/sync/mapping.ts';
import { backfillPage, backfillSides, backfillWindow, type PageReaders } from './backfill-pages.ts';

export interface BackfillDeps extends PageReaders {
  flows: readonly FlowConfig[];
  queue: JobQueue;
  state: StateStore;
  /** How long a side's lease lasts without renewal (renewed after every page); default 15 min. */
  leaseMs?: number;
  now?: () => Date;
}

export interface BackfillCommand {
  flow: string;
  /** ISO instant; absent: everything. */
  since?: string;
  /** Epoch ms by which to stop (after the page in hand) and answer `partial`. */
  deadline: number;
  /** Rows per page (default 2000). */
  pageSize?: number;
}

export interface BackfillResult {
  op: 'backfill';
  flow: string;
  since: string | null;
  /** Jobs this invocation enqueued. */
  enqueued: number;
  /** Jobs this backfill enqueued so far, over every invocation it took. */
  enqueuedTotal: number;
  partial: boolean;
  sides: Array<{ side: Side; enqueued: number; done: boolean }>;
}

/** Where one side of a backfill stands, between invocations. */
interface SideState {
  since: string | null;
  startedAt: string;
  /** The next page to read; absent once the side is done. */
  window?: PollState;
  enqueued: number;
}

/** The poll-state key of a backfill: its own, beside the delta polls' `<flow>`. */
const stateKey = (flow: string) => `backfill#${flow}`;

export function makeBackfill(deps: BackfillDeps): (command: BackfillCommand) => Promise<BackfillResult> {
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.leaseMs ?? 15 * 60_000;

  const runSide = async (
    flow: FlowConfig,
    side: Side,
    command: BackfillCommand,
    lease: { name: string; owner: string },
  ) => {
    const since = command.since ?? null;
    const stored = await deps.state.getPollState<SideState>(stateKey(flow.name), side);
    const startedAt = now().toISOString();
    let current: SideState =
      stored !== undefined && stored.since === since
        ? stored
        : { since, startedAt, window: backfillWindow(command.since, now()), enqueued: 0 };
    let enqueued = 0;
    while (current.window !== undefined) {
      const page = await backfillPage(deps, flow, side, current.window, {
        correlationId: `backfill:${flow.name}:${current.startedAt}`,
        ...(command.pageSize === undefined ? {} : { pageSize: command.pageSize }),
      });
      const sent = await deps.queue.enqueue(page.jobs);
      if (sent.failed.length > 0)
        throw new SyncError(
          `could not enqueue ${sent.failed.length} of ${page.jobs.length} ${flow.name} jobs`,
          {
            code: 'ENQUEUE_FAILED',
            retryable: true,
            hint: 'the backfill position was not advanced; run it again and it reads the same page again',
          },
        );
      enqueued += sent.enqueued;
      current = { ...current, window: page.next, enqueued: current.enqueued + sent.enqueued };
      await deps.state.setPollState(stateKey(flow.name), side, current);
      if (current.window === undefined || Date.now() >= command.deadline) break;
      await deps.state.acquireLease(lease.name, lease.owner, leaseMs);
    }
    return { side, enqueued, done: current.window === undefined, total: current.enqueued };
  };

  return async (command) => {
    const flow = deps.flows.find((f) => f.name === command.flow);
    if (flow === undefined) throw new Error(`unreachable: ${command.flow} was checked before`);
    const startedAt = now();
    const owner = `backfill:${startedAt.toISOString()}:${Math.random().toString(36).slice(2)}`;
    const leases: Array<{ side: Side; name: string; owner: string }> = [];
    const run = (status: RunRecord['status'], enqueued: number, detail: string): RunRecord => ({
      schedule: `backfill#${flow.name}`,
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      status,
      enqueued,
      detail,
    });
    try {
      for (const side of backfillSides(flow)) {
        const name = `backfill#${flow.name}#${side}`;
        if (!(await deps.state.acquireLease(name, owner, leaseMs)))
          throw new SyncError(`another backfill of ${flow.name} is running (${side} side)`, {
            code: 'BACKFILL_BUSY',
            retryable: true,
            hint: 'wait for it to finish (sfi status), or run the command again later: a backfill resumes',
            meta: { flow: flow.name, side },
          });
        leases.push({ side, name, owner });
      }
      const sides = await Promise.all(leases.map((l) => runSide(flow, l.side, command, l)));
      const done = sides.every((s) => s.done);
      // A finished backfill leaves nothing behind: the same command later starts afresh.
      if (done)
        await Promise.all(sides.map((s) => deps.state.setPollState(stateKey(flow.name), s.side, undefined)));
      const result: BackfillResult = {
        op: 'backfill',
        flow: flow.name,
        since: command.since ?? null,
        enqueued: sides.reduce((n, s) => n + s.enqueued, 0),
        enqueuedTotal: sides.reduce((n, s) => n + s.total, 0),
        partial: !done,
        sides: sides.map(({ side, enqueued, done }) => ({ side, enqueued, done })),
      };
      await deps.state.recordRun(
        run(
          done ? 'ok' : 'partial',
          result.enqueued,
          `${result.enqueuedTotal} jobs${command.since === undefined ? '' : ` since ${command.since}`}${done ? '' : ', resumes at the next invocation'}`,
        ),
      );
      return result;
    } catch (error) {
      await deps.state.recordRun(run('failed', 0, (error as Error).message));
      throw error;
    } finally {
      await Promise.all(leases.map((l) => deps.state.releaseLease(l.name, l.owner)));
    }
  };
}
