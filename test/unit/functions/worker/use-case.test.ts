import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '#functions/worker/sqs-batch.ts';
import { makeWorker } from '#functions/worker/use-case.ts';
import type { AuditEntry, FailureEntry, Ledger, StatName } from '#shared/aws/ledger.ts';
import { SyncError } from '#shared/errors.ts';
import { createLogger } from '#shared/observability/logger.ts';

/** An in-memory ledger (the DynamoDB one is exercised by the local-runtime integration tests). */
function memoryLedger(fail = false) {
  const stats: Array<[string, string, Partial<Record<StatName, number>>]> = [];
  const audits: AuditEntry[] = [];
  const ledger: Ledger = {
    async addStats(flow, day, counts) {
      stats.push([flow, day, counts]);
    },
    async audit(entries) {
      if (fail) throw new Error('ProvisionedThroughputExceededException');
      audits.push(...entries);
    },
    async failure(_entry: FailureEntry) {},
    async statsForDay() {
      return {};
    },
    async recentFailures() {
      return [];
    },
    async openFailures() {
      return [];
    },
    async resolveFailures() {
      return 0;
    },
    async addIntacctTransactions(_month: string, count: number) {
      return count;
    },
    async recordSalesforceUsage() {},
    async salesforceUsage() {
      return undefined;
    },
  };
  return { ledger, stats, audits };
}

const logger = createLogger({ service: 'test', level: 'silent' });
const flows = [{ name: 'account-customer' }, { name: 'contact-contact' }];
const job = (flow: string, recordId: string) =>
  JSON.stringify({
    v: 1,
    flow,
    source: 'salesforce',
    object: 'Account',
    recordId,
    reason: 'webhook',
    correlationId: 'c',
    enqueuedAt: '2026-11-22T00:00:00.000Z',
  });
const now = () => new Date('2026-11-22T10:00:00.000Z');

describe('worker use case', () => {
  it('records each valid job once, grouped by flow, with one stats update per flow', async () => {
    const { ledger, stats, audits } = memoryLedger();
    const worker = makeWorker({ ledger, flows, logger, now });
    const outcomes = await worker([
      { messageId: 'm1', body: job('account-customer', 'A1'), receiveCount: 1 },
      { messageId: 'm2', body: job('contact-contact', 'C1'), receiveCount: 1 },
      { messageId: 'm3', body: job('account-customer', 'A2'), receiveCount: 1 },
    ]);
    expect(outcomes.map((o) => [o.messageId, o.status]).sort()).toEqual([
      ['m1', 'done'],
      ['m2', 'done'],
      ['m3', 'done'],
    ]);
    expect(stats).toEqual([
      ['account-customer', '2026-11-22', { received: 2 }],
      ['contact-contact', '2026-11-22', { received: 1 }],
    ]);
    expect(audits.map((a) => [a.flow, a.recordId, a.action])).toEqual([
      ['account-customer', 'A1', 'received'],
      ['account-customer', 'A2', 'received'],
      ['contact-contact', 'C1', 'received'],
    ]);
  });

  it('dead-letters malformed messages and unknown flows at once, without retrying them', async () => {
    const { ledger } = memoryLedger();
    const outcomes = await makeWorker({ ledger, flows, logger, now })([
      { messageId: 'bad-json', body: '{', receiveCount: 1 },
      { messageId: 'not-a-job', body: '{"v":1}', receiveCount: 1 },
      { messageId: 'no-flow', body: job('invoices', 'I1'), receiveCount: 1 },
    ]);
    expect(outcomes.map((o) => [o.messageId, o.status, 'error' in o ? o.error.code : ''])).toEqual([
      ['bad-json', 'dead', 'JOB_INVALID'],
      ['not-a-job', 'dead', 'JOB_INVALID'],
      ['no-flow', 'dead', 'FLOW_UNKNOWN'],
    ]);
  });

  it('retries a whole flow group when recording fails transiently', async () => {
    const { ledger } = memoryLedger(true);
    const outcomes = await makeWorker({ ledger, flows, logger, now })([
      { messageId: 'm1', body: job('account-customer', 'A1'), receiveCount: 1 },
    ]);
    expect(outcomes).toMatchObject([{ messageId: 'm1', status: 'retry' }]);
  });

  it('sends jobs to the DLQ when a flow processor fails permanently', async () => {
    const { ledger } = memoryLedger();
    const processFlow = async () => {
      throw new SyncError('closed period', {
        code: 'BL01001973',
        retryable: false,
        hint: 'reopen the period',
      });
    };
    const outcomes = await makeWorker({ ledger, flows, logger, now, processFlow })([
      { messageId: 'm1', body: job('account-customer', 'A1'), receiveCount: 1 },
    ]);
    expect(outcomes).toMatchObject([
      { messageId: 'm1', status: 'dead', error: { code: 'BL01001973', hint: 'reopen the period' } },
    ]);
  });
});

describe('worker use case: chunks', () => {
  it('runs a flow in chunks, a bounded number at once, the jobs of one record together, flows in order', async () => {
    const { ledger } = memoryLedger();
    const calls: Array<{ flow: string; ids: string[] }> = [];
    let running = 0;
    let peak = 0;
    const processFlow = async (
      flow: string,
      jobs: ReadonlyArray<{ messageId: string; job: { recordId: string } }>,
    ) => {
      calls.push({ flow, ids: jobs.map((j) => j.job.recordId) });
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (jobs.some((j) => j.job.recordId === 'A5')) throw new Error('socket hang up');
      return jobs.map(({ messageId }) => ({ messageId, status: 'done' as const, action: 'create' }));
    };
    const messages = [
      ...['A1', 'A2', 'A1', 'A3', 'A4', 'A5', 'A6'].map((id, i) => ({
        messageId: `a${i}`,
        body: job('account-customer', id),
        receiveCount: 1,
      })),
      { messageId: 'c0', body: job('contact-contact', 'C1'), receiveCount: 1 },
    ];
    const outcomes = await makeWorker({
      ledger,
      flows: [
        { name: 'account-customer' },
        { name: 'contact-contact', parent: { flow: 'account-customer' } },
      ],
      logger,
      now,
      processFlow,
      chunks: { size: 2, inFlight: 2 },
    })(messages);
    // A1's two jobs share a chunk (so the flow can collapse them); no chunk holds more than 2 jobs
    expect(calls.filter((c) => c.flow === 'account-customer').map((c) => c.ids)).toEqual([
      ['A1', 'A1'],
      ['A2', 'A3'],
      ['A4', 'A5'],
      ['A6'],
    ]);
    expect(peak).toBe(2);
    // the referencing flow runs after every chunk of the one it references
    expect(calls.at(-1)).toEqual({ flow: 'contact-contact', ids: ['C1'] });
    // a failing chunk fails its own jobs only
    const byId = new Map(outcomes.map((o) => [o.messageId, o.status]));
    expect([...byId]).toHaveLength(8);
    expect(byId.get('a4')).toBe('retry');
    expect(byId.get('a5')).toBe('retry');
    expect(byId.get('a6')).toBe('done');
    expect(byId.get('c0')).toBe('done');
  });
});

describe('retry backoff', () => {
  it('doubles per receive from 10 s and caps at 15 minutes, within ±20% jitter', () => {
    expect(backoffSeconds(1, () => 0.5)).toBe(10);
    expect(backoffSeconds(2, () => 0.5)).toBe(20);
    expect(backoffSeconds(4, () => 0.5)).toBe(80);
    expect(backoffSeconds(20, () => 0.5)).toBe(900);
    expect(backoffSeconds(1, () => 0)).toBe(8);
    expect(backoffSeconds(1, () => 1)).toBe(12);
  });
});

describe('worker use case: deferral', () => {
  const bulk = (flow: string, recordId: string) =>
    job(flow, recordId).replace('"reason":"webhook"', '"reason":"backfill"');

  it('defers a paused flow and bulk work over budget, and runs the rest', async () => {
    const { ledger, audits } = memoryLedger();
    const worker = makeWorker({
      ledger,
      flows,
      logger,
      now,
      deferral: async () => ({
        paused: [{ flow: 'contact-contact', pausedAt: 't' }],
        budget: {
          month: '2026-11',
          used: 950,
          allowance: 1000,
          reserve: 100,
          bulkLimit: 900,
          projected: 1200,
          bulkDeferred: true,
        },
      }),
    });
    const outcomes = await worker([
      { messageId: 'paused', body: job('contact-contact', 'C1'), receiveCount: 1 },
      { messageId: 'bulk', body: bulk('account-customer', 'A1'), receiveCount: 1 },
      { messageId: 'live', body: job('account-customer', 'A2'), receiveCount: 1 },
    ]);
    expect(outcomes.map((o) => [o.messageId, o.status, 'cause' in o ? o.cause : ''])).toEqual([
      ['paused', 'defer', 'paused'],
      ['bulk', 'defer', 'budget'],
      ['live', 'done', ''],
    ]);
    expect(audits.map((a) => a.recordId)).toEqual(['A2']);
  });

  it('runs nothing and retries the batch when the pause state cannot be read', async () => {
    const { ledger, audits } = memoryLedger();
    const worker = makeWorker({
      ledger,
      flows,
      logger,
      now,
      deferral: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    });
    const outcomes = await worker([{ messageId: 'm', body: job('account-customer', 'A1'), receiveCount: 1 }]);
    expect(outcomes).toMatchObject([{ status: 'retry', error: { code: 'DEFERRAL_STATE_UNAVAILABLE' } }]);
    expect(audits).toEqual([]);
  });
});
