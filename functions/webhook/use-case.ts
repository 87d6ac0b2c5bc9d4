/**
 * The webhook use case: Salesforce outbound messages and Intacct push events become one job per
 * record on the jobs queue. Salesforce gets its Ack only after SQS accepted every job (promise 1);
 * anything malformed, forged or unknown is refused with a reason and enqueues nothing (promise 6).
 * The source address, the body size and the secrets are checked before any body is parsed.
 */

import type { JobQueue } from '#shared/aws/job-queue.ts';
import { SyncError, ValidationError } from '#shared/errors.ts';
import { safeEqual } from '#shared/http/safe-equal.ts';
import {
  type HttpRequest,
  type HttpResponse,
  jsonResponse,
  soapFault,
  xmlResponse,
} from '#shared/http/types.ts';
import { type CompanyClock, companyClock } from '#shared/intacct/clock.ts';
import type { Job } from '#shared/jobs/job.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { ACK_XML, MAX_OUTBOUND_MESSAGE_BYTES, parseOutboundMessage } from '#shared/outbound-message/parse.ts';
import { type RoutableFlow, routes } from '#shared/sync/routing.ts';
import { oversizeReason, sourceCheck } from './guards.ts';
import { DEFAULT_PUSH_OPTIONS, type IntacctPushOptions, makeIntacctPushRoute } from './intacct-route.ts';

import type { WebhookSecret } from './secret.ts';

export type { WebhookSecret };

export interface WebhookDeps {
  queue: JobQueue;
  orgId: string;
  flows: readonly RoutableFlow[];
  secret: () => Promise<WebhookSecret>;
  logger: Logger;
  now?: () => Date;
  /** The Intacct company's clock: a push event's WHENMODIFIED becomes an instant (default UTC). */
  intacctClock?: CompanyClock;
  /** webhook.allowedSourceCidrs: where outbound messages may come from (default anywhere). */
  allowedSourceCidrs?: readonly string[];
  /** webhook.intacctPush: the replay window (default 300 s, headers optional). */
  intacctPush?: IntacctPushOptions;
}

const XML_TYPES = ['text/xml', 'application/xml', 'application/soap+xml'];

export function makeWebhook(deps: WebhookDeps): (request: HttpRequest) => Promise<HttpResponse> {
  const now = deps.now ?? (() => new Date());
  const route = routes(deps.flows);
  const sourceRefusal = sourceCheck(deps.allowedSourceCidrs);
  const intacctPush = makeIntacctPushRoute({
    queue: deps.queue,
    route,
    secret: deps.secret,
    logger: deps.logger,
    now,
    intacctClock: deps.intacctClock ?? companyClock(),
    options: deps.intacctPush ?? DEFAULT_PUSH_OPTIONS,
  });

  async function outboundMessage(request: HttpRequest): Promise<HttpResponse> {
    // Before the secret is read or the body parsed: where it comes from, then how big it is.
    const notAllowed = sourceRefusal(request);
    if (notAllowed !== undefined) return soapFault(403, 'Client', notAllowed);
    const tooLarge = oversizeReason(request, MAX_OUTBOUND_MESSAGE_BYTES);
    if (tooLarge !== undefined) return soapFault(413, 'Client', tooLarge);
    const secret = await deps.secret();
    if (secret.salesforcePathToken !== undefined) {
      const token = request.pathParameters.token ?? '';
      if (!safeEqual(token, secret.salesforcePathToken)) {
        return soapFault(
          403,
          'Client',
          'wrong or missing path token: use the webhook URL printed by the deploy',
        );
      }
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!XML_TYPES.includes(contentType)) {
      return soapFault(415, 'Client', `content type must be text/xml, got "${contentType || 'none'}"`);
    }
    const message = parseOutboundMessage(request.body);
    if (message.organizationId !== deps.orgId) {
      return soapFault(403, 'Client', `organization ${message.organizationId} is not the configured org`);
    }
    const objectType = message.notifications[0]?.objectType ?? '';
    const flows = route.flowsFor('salesforce', objectType);
    if (flows === undefined) {
      return soapFault(400, 'Client', `no flow is configured for Salesforce object ${objectType}`);
    }
    const enqueuedAt = now().toISOString();
    // One job per notification and flow that takes Salesforce changes of the object.
    const jobs: Job[] = flows.flatMap((flow) =>
      message.notifications.map((n) => ({
        v: 1 as const,
        flow,
        source: 'salesforce',
        object: n.objectType,
        recordId: n.recordId,
        reason: 'webhook',
        version: n.fields.SystemModstamp ?? n.fields.LastModifiedDate,
        notificationId: n.notificationId,
        correlationId: `${request.requestId}:${n.notificationId}`,
        snapshot: n.fields,
        enqueuedAt,
      })),
    );
    const result = jobs.length === 0 ? { enqueued: 0, failed: [] } : await deps.queue.enqueue(jobs);
    if (result.failed.length > 0) {
      deps.logger.error('enqueue failed, withholding ack', {
        failed: result.failed.length,
        enqueued: result.enqueued,
        firstError: result.failed[0]?.message,
      });
      // No Ack: Salesforce redelivers the whole message; jobs already enqueued are deduplicated later.
      return soapFault(
        503,
        'Server',
        `could not enqueue ${result.failed.length} of ${jobs.length} notifications; retry`,
      );
    }
    deps.logger.info('outbound message enqueued', { flows, jobs: jobs.length, actionId: message.actionId });
    return xmlResponse(200, ACK_XML);
  }

  return async (request) => {
    const isOutbound = request.routeKey.includes('/salesforce/outbound-message');
    try {
      if (isOutbound) return await outboundMessage(request);
      if (request.routeKey.startsWith('POST /intacct/events')) return await intacctPush(request);
      return jsonResponse(404, { error: 'NOT_FOUND', message: `no route ${request.routeKey}` });
    } catch (error) {
      if (error instanceof ValidationError) {
        deps.logger.warn('request rejected', {
          code: error.code,
          reason: error.message,
          route: request.routeKey,
        });
        return isOutbound
          ? soapFault(400, 'Client', error.message)
          : jsonResponse(400, { error: error.code, message: error.message, hint: error.hint });
      }
      deps.logger.error('webhook failed', { error, route: request.routeKey });
      const retryable = !(error instanceof SyncError) || error.retryable;
      const status = retryable ? 503 : 500;
      return isOutbound
        ? soapFault(status, 'Server', 'internal error; Salesforce will retry')
        : jsonResponse(status, { error: 'INTERNAL', message: 'internal error; retry' });
    }
  };
}
