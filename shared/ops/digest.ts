/**
 * The failure digest (DESIGN §9): per flow, the open failures no digest has listed yet, in one
 * message, at most one message per flow per window of `digestMinutes`; nothing when nothing is new.
 *
 * Exactly-once without a transaction across DynamoDB and SNS: the run claims the flow's window,
 * then marks each failure notified with a conditional write (a concurrent run marks the others),
 * and only then publishes what it marked. A failed publish releases both, so the next run sends
 * them; a crash between marking and publishing loses that digest rather than sending it twice.
 */
import type { Logger } from '#shared/observability/logger.ts';
import { formatDigest } from './digest-message.ts';
import {
  type DigestPublisher,
  type DigestStore,
  failureKey,
  type OpenFailures,
  type SentDigest,
} from './digest-ports.ts';

export interface FailureDigestDeps {
  flows: readonly string[];
  ledger: OpenFailures;
  store: DigestStore;
  publisher: DigestPublisher;
  digestMinutes: number;
  maxListed: number;
  /** Who claims windows (one per scheduler instance). */
  owner: string;
  logger: Logger;
  now?: () => Date;
}

export type DigestOutcome =
  | { flow: string; sent: true; digest: SentDigest }
  | { flow: string; sent: false; reason: 'nothing new' | 'window taken' | 'failed' };

/** The start of the window `at` falls in: windows are whole multiples of the interval since the epoch. */
export function windowStart(at: Date, digestMinutes: number): string {
  const size = digestMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / size) * size).toISOString();
}

/** Runs the digest of every flow; a flow whose publish failed is retried next run, the others go on. */
export function makeFailureDigest(deps: FailureDigestDeps): () => Promise<DigestOutcome[]> {
  const now = deps.now ?? (() => new Date());

  async function digestOf(flow: string): Promise<DigestOutcome> {
    const open = await deps.ledger.openFailures(flow);
    if (open.length === 0) return { flow, sent: false, reason: 'nothing new' };
    const notified = await deps.store.notified(flow);
    const fresh = open.filter((f) => !notified.has(failureKey(f)));
    if (fresh.length === 0) return { flow, sent: false, reason: 'nothing new' };
    const at = now();
    const window = windowStart(at, deps.digestMinutes);
    if (!(await deps.store.claimWindow(flow, window, deps.owner)))
      return { flow, sent: false, reason: 'window taken' };
    const marked = new Set(
      await deps.store.markNotified(
        flow,
        fresh.map((f) => failureKey(f)),
        window,
      ),
    );
    const listed = fresh
      .filter((f) => marked.has(failureKey(f)))
      .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
    if (listed.length === 0) {
      // Another run listed them all meanwhile: leave this window free for what comes next.
      await deps.store.release(flow, window, deps.owner, []);
      return { flow, sent: false, reason: 'nothing new' };
    }
    const message = formatDigest({
      flow,
      failures: listed,
      maxListed: deps.maxListed,
      windowStart: window,
      digestMinutes: deps.digestMinutes,
    });
    let messageId: string;
    try {
      ({ messageId } = await deps.publisher.publish(message));
    } catch (error) {
      await deps.store.release(flow, window, deps.owner, [...marked]);
      throw error;
    }
    const digest: SentDigest = {
      flow,
      windowStart: window,
      sentAt: at.toISOString(),
      messageId,
      failures: listed.length,
    };
    await deps.store.recordSent(digest);
    deps.logger.info('failure digest sent', { flow, failures: listed.length, messageId });
    return { flow, sent: true, digest };
  }

  return async () => {
    const outcomes: DigestOutcome[] = [];
    let firstError: unknown;
    for (const flow of deps.flows) {
      try {
        outcomes.push(await digestOf(flow));
      } catch (error) {
        deps.logger.error('failure digest failed', { flow, error });
        outcomes.push({ flow, sent: false, reason: 'failed' });
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
    return outcomes;
  };
}
