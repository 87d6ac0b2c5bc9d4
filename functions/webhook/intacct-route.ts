/**
 * The Intacct push route: which source sent the request (each has its own secret, compared in
 * constant time), whether it is fresh (replay window), then the events become jobs. Everything
 * but the enqueue happens before the body is parsed, and a refusal enqueues nothing.
 */
import type { JobQueue } from '#shared/aws/job-queue.ts';
import { safeEqual } from '#shared/http/safe-equal.ts';
import { type HttpRequest, type HttpResponse, jsonResponse } from '#shared/http/types.ts';
import type { CompanyClock } from '#shared/intacct/clock.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { Routes } from '#shared/sync/routing.ts';
import { oversizeReason } from './guards.ts';
import { MAX_PUSH_BYTES, parseIntacctPush } from './intacct-push.ts';
import { makeReplayGuard } from './replay-guard.ts';
import type { WebhookSecret } from './secret.ts';

export interface IntacctPushOptions {
  /** Seconds a push's x-sfi-timestamp may be off, and a request ID is remembered (default 300). */
  replayWindowSeconds: number;
  /** Refuse pushes without x-sfi-timestamp and x-sfi-request-id (default false). */
  requireReplayHeaders: boolean;
}

export const DEFAULT_PUSH_OPTIONS: IntacctPushOptions = {
  replayWindowSeconds: 300,
  requireReplayHeaders: false,
};

const forbidden = (message: string) => jsonResponse(403, { error: 'FORBIDDEN', message });

/** The source whose secret `given` is; every secret is compared, so timing tells nothing. */
function sourceOf(given: string, sources: Record<string, string>): string | undefined {
  let match: string | undefined;
  for (const [name, secret] of Object.entries(sources)) {
    if (safeEqual(given, secret) && match === undefined) match = name;
  }
  return match;
}

/** Epoch ms of an x-sfi-timestamp (Unix seconds or ISO 8601), or undefined. */
function instantOf(header: string): number | undefined {
  if (/^\d{1,11}$/.test(header)) return Number(header) * 1000;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(header) ? Date.parse(header) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

export function makeIntacctPushRoute(deps: {
  queue: JobQueue;
  route: Routes;
  secret: () => Promise<WebhookSecret>;
  logger: Logger;
  now: () => Date;
  intacctClock: CompanyClock;
  options: IntacctPushOptions;
}): (request: HttpRequest) => Promise<HttpResponse> {
  const windowMs = deps.options.replayWindowSeconds * 1000;
  const replays = makeReplayGuard(windowMs, () => deps.now().getTime());

  return async (request) => {
    const tooLarge = oversizeReason(request, MAX_PUSH_BYTES);
    if (tooLarge !== undefined) return jsonResponse(413, { error: 'PUSH_TOO_LARGE', message: tooLarge });
    const secret = await deps.secret();
    const sources = {
      ...(secret.intacctSharedSecret === undefined ? {} : { default: secret.intacctSharedSecret }),
      ...secret.intacctSources,
    };
    if (Object.keys(sources).length === 0)
      return forbidden('Intacct push is not enabled: set intacctSharedSecret or intacctSources');
    const source = sourceOf(request.headers['x-sfi-secret'] ?? request.pathParameters.token ?? '', sources);
    if (source === undefined)
      return forbidden('wrong or missing shared secret (x-sfi-secret header or /intacct/events/{secret})');

    const stamp = request.headers['x-sfi-timestamp'];
    const requestId = request.headers['x-sfi-request-id'];
    if (deps.options.requireReplayHeaders && (stamp === undefined || requestId === undefined))
      return forbidden(
        'send x-sfi-timestamp and x-sfi-request-id (webhook.intacctPush.requireReplayHeaders)',
      );
    if (stamp !== undefined) {
      const at = instantOf(stamp);
      if (at === undefined) return forbidden('x-sfi-timestamp: send Unix seconds or an ISO 8601 time');
      const skew = Math.round((deps.now().getTime() - at) / 1000);
      if (Math.abs(skew) * 1000 > windowMs)
        return forbidden(
          `x-sfi-timestamp is ${skew} s off; the replay window is ${deps.options.replayWindowSeconds} s: send the current time`,
        );
    }
    if (requestId !== undefined && (requestId.length === 0 || requestId.length > 200))
      return forbidden('x-sfi-request-id: send 1–200 characters');
    const replayKey = requestId === undefined ? undefined : `${source}\u0000${requestId}`;
    if (replayKey !== undefined && replays.seen(replayKey))
      return jsonResponse(409, {
        error: 'REPLAYED',
        message: 'this x-sfi-request-id was already accepted within the replay window',
      });

    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      return jsonResponse(415, {
        error: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'content type must be application/json',
      });
    }
    const events = parseIntacctPush(request.body);
    const unknown = events.find((e) => deps.route.flowsFor('intacct', e.object) === undefined);
    if (unknown !== undefined) {
      return jsonResponse(400, {
        error: 'UNKNOWN_OBJECT',
        message: `no flow is configured for Intacct object ${unknown.object}`,
      });
    }
    const enqueuedAt = deps.now().toISOString();
    const jobs: Job[] = events.flatMap((e, i) =>
      (deps.route.flowsFor('intacct', e.object) ?? []).map((flow) => ({
        v: 1 as const,
        flow,
        source: 'intacct' as const,
        object: e.object,
        recordId: e.id,
        reason: 'push' as const,
        // Not a timestamp we can read: no version, and the worker re-reads the record.
        version: e.whenModified === undefined ? undefined : deps.intacctClock.toInstant(e.whenModified),
        correlationId: `${request.requestId}:${i}`,
        enqueuedAt,
      })),
    );
    const result = jobs.length === 0 ? { enqueued: 0, failed: [] } : await deps.queue.enqueue(jobs);
    if (result.failed.length > 0) {
      return jsonResponse(503, { error: 'ENQUEUE_FAILED', message: 'could not enqueue every event; retry' });
    }
    // Remembered only once enqueued: a sender's retry after a failure is not a replay.
    if (replayKey !== undefined) replays.remember(replayKey);
    deps.logger.info('intacct push enqueued', { source, jobs: jobs.length });
    return jsonResponse(202, { accepted: jobs.length });
  };
}
