/**
 * Load: 10,000 outbound-message notifications in 100-notification POSTs to the real webhook.
 * "Nothing lost" is proven from the queue itself: every notification's job reached the worker and
 * was acknowledged (deleted after the worker reported it done), the queues end empty, the DLQ too.
 * Most notifications name records Salesforce does not have (the worker re-reads them, finds them
 * missing and skips them); 200 name real accounts changed while Salesforce's own outbound messages
 * were held back, so those jobs must carry a real change to Intacct — once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { fakeId, outboundMessage } from '../fixtures/outbound-message.ts';
import { eventually, testConfig } from '../helpers/config.ts';
import { settle, status, writeCounts } from '../helpers/local-stack.ts';
import { type JobObserver, mapLimit, observeJobs, postOutbound } from '../helpers/reliability.ts';

const NOTIFICATIONS = 10_000;
const PER_POST = 100;
const REAL = 200;

describe('10,000 notifications in 100-notification POSTs', () => {
  let stack: LocalStack;
  let observer: JobObserver;
  const accounts: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ config: testConfig(), seed: 'empty', timers: false });
    // Installed first: long polls started before it are over long before the load begins.
    observer = observeJobs(stack);
    for (let i = 0; i < REAL; i++)
      accounts.push(
        stack.salesforce.asUser.create('Account', { Name: `Load Account ${i}`, AccountNumber: `LOAD-${i}` }),
      );
    await settle(stack, 90_000);
  }, 120_000);
  afterAll(() => stack.stop(2000));

  it('acks every POST, the worker acknowledges every notification, nothing is lost or dead-lettered', async () => {
    // Salesforce's own notifications for the changes below wait in its outbox until the end.
    stack.salesforce.setOutboundEndpoint(undefined);
    for (const [i, id] of accounts.entries())
      stack.salesforce.asUser.update('Account', id, { Phone: `+1 555 7${String(i).padStart(3, '0')}` });
    const writesBefore = writeCounts(stack).intacct;

    // Every 50th notification names a real account (without its fields: the worker re-reads it).
    const notifications = Array.from({ length: NOTIFICATIONS }, (_, n) => {
      const real = n % (NOTIFICATIONS / REAL) === 0 ? accounts[n / (NOTIFICATIONS / REAL)] : undefined;
      const id = real ?? fakeId('001', n);
      return { id: fakeId('04l', n), fields: { Id: id, Name: `Notified ${n}` } };
    });
    const bodies: string[] = [];
    for (let i = 0; i < NOTIFICATIONS; i += PER_POST)
      bodies.push(
        outboundMessage({
          orgId: stack.ready.salesforce.orgId,
          notifications: notifications.slice(i, i + PER_POST),
        }),
      );
    const answers = await mapLimit(bodies, 4, async (body) => {
      const response = await postOutbound(stack, body);
      return { status: response.status, text: await response.text() };
    });
    expect(answers.filter((a) => a.status === 200 && a.text.includes('<Ack>true</Ack>'))).toHaveLength(
      NOTIFICATIONS / PER_POST,
    );

    const notificationIds = new Set(notifications.map((n) => n.id));
    const ackedNotifications = () =>
      new Set(
        [...observer.acked.keys()].map((b) => (JSON.parse(b) as { notificationId?: string }).notificationId),
      );
    await eventually(
      async () => ackedNotifications().size >= NOTIFICATIONS && (await stack.runtime.isIdle()),
      150_000,
      'every notification acknowledged by the worker',
    );

    const jobs = observer
      .jobs()
      .filter((j) => j.notificationId !== undefined && notificationIds.has(j.notificationId));
    expect(new Set(jobs.map((j) => j.notificationId)).size).toBe(NOTIFICATIONS);
    expect(
      [...ackedNotifications()].filter((id) => id !== undefined && notificationIds.has(id)),
    ).toHaveLength(NOTIFICATIONS);
    // One job per notification: the webhook enqueued none twice and invented none.
    expect(jobs).toHaveLength(NOTIFICATIONS);
    for (const job of jobs) expect(observer.acked.get(JSON.stringify(job))).toBeGreaterThanOrEqual(1);
    const done = await status(stack, 30);
    expect(done.queues.jobs).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(done.queues.dlq).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    // The 200 real notifications carried their change to Intacct, one update each; the rest created nothing.
    expect(writeCounts(stack).intacct - writesBefore).toBe(REAL);
    expect(stack.intacct.records('CUSTOMER')).toHaveLength(REAL);
    for (let i = 0; i < REAL; i += 37)
      expect(stack.intacct.record('CUSTOMER', `LOAD-${i}`)?.DISPLAYCONTACT).toMatchObject({
        PHONE1: `+1 555 7${String(i).padStart(3, '0')}`,
      });

    // Salesforce's held-back notifications for the same changes arrive late: no further writes.
    stack.salesforce.setOutboundEndpoint(stack.runtime.webhookUrl);
    const late = await settle(stack, 60_000);
    expect(stack.salesforce.outbound.stats().pending).toBe(0);
    expect(late.queues.dlq.visible).toBe(0);
    expect(writeCounts(stack).intacct - writesBefore).toBe(REAL);
  }, 240_000);
});
