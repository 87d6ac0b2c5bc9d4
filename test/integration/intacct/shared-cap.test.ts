/**
 * The Intacct company's concurrency cap across processes (DESIGN §8): four clients, each with its
 * own in-process limiter as four Lambda instances would have, share slot leases in DynamoDB
 * (dynalite). The simulator enforces the cap (a request above it gets 429 GW-0010) and counts the
 * most requests it saw in flight.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmbeddedAws, localClientConfig, startEmbeddedAws } from '#local/aws/embedded-aws.ts';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { SlotLease } from '#shared/aws/cap-lease.ts';
import { DynamoKvTable } from '#shared/aws/kv-table.ts';
import { ConcurrencyLimiter, IntacctClient, query } from '#shared/intacct/index.ts';
import { testConfig } from '../../helpers/config.ts';

const CAP = 2;
const INSTANCES = 4;
const REQUESTS_EACH = 15;

describe('one Intacct cap for every process', () => {
  let aws: EmbeddedAws;
  let sim: IntacctSimulator;
  let table: DynamoKvTable;
  beforeAll(async () => {
    aws = await startEmbeddedAws({ config: testConfig(), prefix: 'sfi-cap' });
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(aws.dynamodbEndpoint)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    table = new DynamoKvTable({ db, table: aws.tables.state });
    sim = await startIntacctSimulator({ port: 0, seed: 'demo', concurrencyCap: CAP });
    sim.setLatency(40);
  });
  afterAll(async () => {
    await sim.stop();
    await aws.stop();
  });
  let before: { rateLimited: number; gatewayRequests: number };
  beforeEach(() => {
    before = sim.counters();
  });

  /** INSTANCES clients, each with the whole cap in its own limiter, all sending at once. */
  async function burst(shared: boolean) {
    const clients = Array.from(
      { length: INSTANCES },
      () =>
        new IntacctClient({
          credentials: sim.readyInfo(),
          maxFunctionsPerRequest: 1,
          limiter: new ConcurrencyLimiter({
            concurrency: CAP,
            baseBackoffMs: 50,
            maxBackoffMs: 200,
            ...(shared
              ? { lease: new SlotLease({ table, key: 'cap-test', slots: CAP, leaseMs: 30_000 }) }
              : {}),
          }),
        }),
    );
    await Promise.all(
      clients.flatMap((client) =>
        Array.from({ length: REQUESTS_EACH }, () =>
          client.execute(query({ object: 'CUSTOMER', select: ['CUSTOMERID'], pagesize: 5 })),
        ),
      ),
    );
    const after = sim.counters();
    return { rateLimited: after.rateLimited - before.rateLimited, peak: after.peakInFlight };
  }

  it('with the shared lease, requests in flight never exceed the cap and none is refused', async () => {
    const { rateLimited, peak } = await burst(true);
    expect(rateLimited).toBe(0);
    expect(peak).toBeLessThanOrEqual(CAP);
    // Every lease was given back: the slots are free for the next process.
    const slots = await table.get(
      Array.from({ length: CAP }, (_, i) => ({ pk: 'intacct-cap#cap-test', sk: `slot#${i}` })),
    );
    expect(slots).toEqual([]);
  });
  // Runs second: the simulator's peak counter only grows.
  it('without a shared lease, four instances exceed the cap (the check can fail)', async () => {
    const { rateLimited } = await burst(false);
    expect(rateLimited).toBeGreaterThan(0);
  });
});
