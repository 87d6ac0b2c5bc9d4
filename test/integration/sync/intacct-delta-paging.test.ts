/**
 * An Intacct delta poll over more than one page while the data changes (DESIGN §5 "Change
 * capture": delta polls page stably). A row modified between two page reads must not make any
 * other row of the window go unread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntacctSimulator, startIntacctSimulator } from '#local/intacct-sim/index.ts';
import { type FetchLike, IntacctClient } from '#shared/intacct/index.ts';
import { intacctDelta } from '#shared/sync/delta.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';

const flow = testConfig().flows.find((f) => f.name === 'account-customer') as MirrorFlow;
const ROWS = 2_300; // more than one 2,000-row page

let sim: IntacctSimulator;
const keys: string[] = [];
beforeAll(async () => {
  sim = await startIntacctSimulator({ port: 0, seed: 'empty' });
  for (let i = 0; i < ROWS; i++) {
    const key = `PG-${String(i).padStart(5, '0')}`;
    keys.push(key);
    sim.userCreate('CUSTOMER', {
      CUSTOMERID: key,
      NAME: `Paging ${i}`,
      DISPLAYCONTACT: { PRINTAS: `Paging ${i}` },
    });
  }
});
afterAll(() => sim.stop());

describe('Intacct delta paging', () => {
  it('reads every row of the window when a row of the first page changes before the second page', async () => {
    // WHENMODIFIED has whole seconds: the edit must land in a later second than the seeding.
    await new Promise((r) => setTimeout(r, 1_100));
    let queries = 0;
    // After the first page came back, a user edits a row that page held.
    const fetch: FetchLike = async (url, init) => {
      const res = await globalThis.fetch(url, init);
      const text = await res.text();
      if (init.body.includes('<query>') && ++queries === 1)
        sim.userUpdate('CUSTOMER', keys[10] as string, { DISPLAYCONTACT: { PHONE1: 'changed mid-poll' } });
      return { status: res.status, headers: res.headers, text: async () => text };
    };
    const client = new IntacctClient({ credentials: sim.readyInfo(), fetch });
    const { jobs } = await intacctDelta(client, flow, {
      since: new Date(0),
      until: new Date(Date.now() + 5_000),
      correlationId: 'paging',
    });
    expect(queries).toBeGreaterThan(1);
    const seen = new Set(jobs.map((j) => j.recordId));
    expect(keys.filter((k) => !seen.has(k))).toEqual([]);
  });
});
