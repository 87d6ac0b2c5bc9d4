/**
 * A Salesforce delta poll reads modified and deleted records within one window (DESIGN §5 "Change
 * capture"): a record deleted after the window's end is left to the next poll, and the watermark
 * never passes the window — otherwise it would pass modifications made meanwhile that this poll
 * never read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import { SalesforceClient } from '#shared/salesforce/client.ts';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { salesforceDelta } from '#shared/sync/delta.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';

const flow = testConfig().flows.find((f) => f.name === 'account-customer') as MirrorFlow;
let sim: SalesforceSimulator;
let client: SalesforceClient;
beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'empty' });
  client = new SalesforceClient({
    config: parseSalesforceConfig({ ...sim.readyInfo(), authFlow: 'client_credentials' }),
  });
});
afterAll(() => sim.stop());

describe('Salesforce delta window', () => {
  it('leaves a delete after the window to the next poll and keeps the watermark inside the window', async () => {
    const since = new Date(Date.now() - 60_000);
    const kept = sim.asUser.create('Account', { Name: 'In Window Ltd' });
    const gone = sim.asUser.create('Account', { Name: 'Deleted Later Ltd' });
    const until = new Date();
    // The window ends at `until` (rounded up to the next whole second, plus one, as SOQL needs).
    await new Promise((r) => setTimeout(r, 2_100));
    sim.asUser.delete('Account', gone);
    const { jobs, watermark } = await salesforceDelta(client, flow, { since, until, correlationId: 't' });
    expect(jobs.map((j) => j.recordId)).toContain(kept);
    expect(jobs.filter((j) => j.recordId === gone && j.snapshot === undefined)).toEqual([]);
    expect(Date.parse(watermark)).toBeLessThanOrEqual(Math.ceil(until.getTime() / 1000) * 1000 + 1000);
    // The next poll, from that watermark, sees the delete.
    const next = await salesforceDelta(client, flow, {
      since: new Date(watermark),
      until: new Date(),
      correlationId: 't2',
    });
    expect(next.jobs.filter((j) => j.recordId === gone && j.snapshot === undefined)).toHaveLength(1);
  });
});
