import { describe, expect, it } from 'vitest';
import { makeWebhook } from '#functions/webhook/use-case.ts';
import type { EnqueueResult, JobQueue } from '#shared/aws/job-queue.ts';
import type { HttpRequest } from '#shared/http/types.ts';
import type { Job } from '#shared/jobs/job.ts';
import { createLogger } from '#shared/observability/logger.ts';
import { fakeId, ORG_ID, outboundMessage } from '../../../fixtures/outbound-message.ts';

/** A queue that accepts jobs, or refuses the ones `refuse` picks (as SendMessageBatch can). */
function fakeQueue(refuse: (job: Job) => boolean = () => false) {
  const accepted: Job[] = [];
  const queue: JobQueue = {
    async enqueue(jobs): Promise<EnqueueResult> {
      const failed = jobs.filter(refuse).map((job) => ({ job, code: 'InternalError', message: 'boom' }));
      accepted.push(...jobs.filter((j) => !refuse(j)));
      return { enqueued: jobs.length - failed.length, failed };
    },
  };
  return { queue, accepted };
}

const flows = [{ name: 'account-customer', salesforceObject: 'Account', intacctObject: 'CUSTOMER' }];
const logger = createLogger({ service: 'test', level: 'silent' });
const token = 'a'.repeat(32);

function request(body: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    routeKey: 'POST /salesforce/outbound-message/{token}',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    pathParameters: { token },
    body,
    requestId: 'req-1',
    ...overrides,
  };
}

const body = outboundMessage({
  notifications: [1, 2].map((i) => ({
    id: fakeId('04l', i),
    fields: { Id: fakeId('001', i), Name: `A${i}`, SystemModstamp: `2026-11-0${i}T00:00:00.000Z` },
  })),
});

describe('webhook use case', () => {
  it('sends each notification to every flow of its object that takes Salesforce changes', async () => {
    const { queue, accepted } = fakeQueue();
    const webhook = makeWebhook({
      queue,
      orgId: ORG_ID,
      flows: [
        { name: 'account-customer', salesforceObject: 'Account', intacctObject: 'CUSTOMER' },
        { name: 'account-credit', salesforceObject: 'Account', intacctObject: 'CUSTOMER', direction: 'both' },
        {
          name: 'vendor-account',
          salesforceObject: 'Account',
          intacctObject: 'VENDOR',
          direction: 'toSalesforce',
        },
      ],
      secret: async () => ({ salesforcePathToken: token }),
      logger,
    });
    const response = await webhook(request(body));
    expect(response.statusCode).toBe(200);
    expect(accepted.map((j) => `${j.flow} ${j.recordId}`).sort()).toEqual(
      [
        `account-credit ${fakeId('001', 1)}`,
        `account-credit ${fakeId('001', 2)}`,
        `account-customer ${fakeId('001', 1)}`,
        `account-customer ${fakeId('001', 2)}`,
      ].sort(),
    );
  });

  it('acks and enqueues nothing when the object only has flows towards Salesforce', async () => {
    const { queue, accepted } = fakeQueue();
    const webhook = makeWebhook({
      queue,
      orgId: ORG_ID,
      flows: [
        {
          name: 'item-product',
          salesforceObject: 'Account',
          intacctObject: 'ITEM',
          direction: 'toSalesforce',
        },
      ],
      secret: async () => ({ salesforcePathToken: token }),
      logger,
    });
    const response = await webhook(request(body));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<Ack>true</Ack>');
    expect(accepted).toEqual([]);
  });

  it('enqueues one versioned job with the snapshot per notification, then acks', async () => {
    const { queue, accepted } = fakeQueue();
    const webhook = makeWebhook({
      queue,
      orgId: ORG_ID,
      flows,
      secret: async () => ({ salesforcePathToken: token }),
      logger,
    });
    const response = await webhook(request(body));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<Ack>true</Ack>');
    expect(accepted.map((j) => [j.notificationId, j.recordId, j.version, j.flow, j.reason])).toEqual([
      [fakeId('04l', 1), fakeId('001', 1), '2026-11-01T00:00:00.000Z', 'account-customer', 'webhook'],
      [fakeId('04l', 2), fakeId('001', 2), '2026-11-02T00:00:00.000Z', 'account-customer', 'webhook'],
    ]);
    expect(accepted[0]?.snapshot?.Name).toBe('A1');
  });

  it('withholds the Ack when SQS refuses any job, so Salesforce redelivers', async () => {
    const { queue } = fakeQueue((job) => job.recordId === fakeId('001', 2));
    const webhook = makeWebhook({
      queue,
      orgId: ORG_ID,
      flows,
      secret: async () => ({ salesforcePathToken: token }),
      logger,
    });
    const response = await webhook(request(body));
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('<Ack>');
    expect(response.body).toContain('could not enqueue 1 of 2');
  });

  it('answers 503 without an Ack when the queue itself throws', async () => {
    const queue: JobQueue = {
      enqueue: async () => {
        throw new Error('network down');
      },
    };
    const webhook = makeWebhook({ queue, orgId: ORG_ID, flows, secret: async () => ({}), logger });
    const response = await webhook(request(body));
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('<Ack>');
  });

  it('needs no path token when none is configured', async () => {
    const { queue, accepted } = fakeQueue();
    const webhook = makeWebhook({ queue, orgId: ORG_ID, flows, secret: async () => ({}), logger });
    const response = await webhook(
      request(body, { routeKey: 'POST /salesforce/outbound-message', pathParameters: {} }),
    );
    expect(response.statusCode).toBe(200);
    expect(accepted).toHaveLength(2);
  });

  it('refuses Intacct push events when no shared secret is configured', async () => {
    const { queue, accepted } = fakeQueue();
    const webhook = makeWebhook({ queue, orgId: ORG_ID, flows, secret: async () => ({}), logger });
    const response = await webhook(
      request('{"object":"CUSTOMER","id":"C1"}', {
        routeKey: 'POST /intacct/events',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.statusCode).toBe(403);
    expect(accepted).toHaveLength(0);
  });

  it('rejects push events for objects without a flow and bad JSON, enqueuing nothing', async () => {
    const { queue, accepted } = fakeQueue();
    const secret = 's'.repeat(32);
    const webhook = makeWebhook({
      queue,
      orgId: ORG_ID,
      flows,
      secret: async () => ({ intacctSharedSecret: secret }),
      logger,
    });
    const push = (b: string) =>
      webhook(
        request(b, {
          routeKey: 'POST /intacct/events',
          headers: { 'content-type': 'application/json', 'x-sfi-secret': secret },
        }),
      );
    expect((await push('{"object":"VENDOR","id":"V1"}')).statusCode).toBe(400);
    expect((await push('not json')).statusCode).toBe(400);
    expect((await push('{"object":"customer","id":"C1"}')).body).toContain('use the Intacct object name');
    expect(accepted).toHaveLength(0);
    const ok = await push(
      '[{"object":"CUSTOMER","id":"C1"},{"object":"CUSTOMER","id":"C2","whenModified":"11/01/2026 10:00:00"}]',
    );
    expect(ok.statusCode).toBe(202);
    expect(accepted.map((j) => [j.source, j.recordId, j.version])).toEqual([
      ['intacct', 'C1', undefined],
      // WHENMODIFIED is the company's wall-clock time (UTC by default): the job's version is the instant.
      ['intacct', 'C2', '2026-11-01T10:00:00.000Z'],
    ]);
  });
});
