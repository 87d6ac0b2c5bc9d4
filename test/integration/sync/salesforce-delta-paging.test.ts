/**
 * A Salesforce delta poll over more than one page while the data changes (issue 10, DESIGN §5):
 * keyset pages by (SystemModstamp, Id) in a window that ends when the poll opened it. A record
 * changed between two pages, read or not yet read, leaves no other record unread, and its change
 * is in the next poll: the watermark never passes what this poll did not enqueue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SalesforceSimulator, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';
import type { Job } from '#shared/jobs/job.ts';
import { SalesforceClient } from '#shared/salesforce/client.ts';
import { parseSalesforceConfig } from '#shared/salesforce/config.ts';
import { openWindow, type PollState, salesforcePage } from '#shared/sync/delta.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { testConfig } from '../../helpers/config.ts';

const flow = testConfig().flows.find((f) => f.name === 'account-customer') as MirrorFlow;
const ROWS = 2_300;

let sim: SalesforceSimulator;
let client: SalesforceClient;
const ids: string[] = [];
beforeAll(async () => {
  sim = await startSalesforceSimulator({ seed: 'empty' });
  client = new SalesforceClient({
    config: parseSalesforceConfig({ ...sim.readyInfo(), authFlow: 'client_credentials' }),
  });
  for (let i = 0; i < ROWS; i++) ids.push(sim.asUser.create('Account', { Name: `SF Paging ${i}` }));
});
afterAll(() => sim.stop());

/** Every page of one poll, calling `between` after the first page. */
async function poll(
  since: Date,
  between: () => void,
): Promise<{ jobs: Job[]; watermark: string; pages: number }> {
  let state: PollState | undefined = openWindow({ since, until: new Date(), overlapMs: 0 });
  const jobs: Job[] = [];
  let watermark = since.toISOString();
  let pages = 0;
  while (state !== undefined) {
    const page = await salesforcePage(client, flow, state, 'paging');
    jobs.push(...page.jobs);
    if (page.watermark !== undefined) watermark = page.watermark;
    state = page.next;
    if (pages++ === 0) between();
  }
  return { jobs, watermark, pages };
}

describe('Salesforce delta paging', () => {
  it('reads every record of the window when records change between pages, and the next poll has the changes', async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    const read = ids[10] as string;
    const unread = ids[2_200] as string;
    const first = await poll(new Date(0), () => {
      sim.asUser.update('Account', read, { Phone: 'changed after its page' });
      sim.asUser.update('Account', unread, { Phone: 'changed before its page' });
    });
    expect(first.pages).toBeGreaterThan(2);
    const seen = new Set(first.jobs.map((j) => j.recordId));
    // The unread record moved out of this window (its new stamp is after the window's end) …
    expect(ids.filter((id) => id !== unread && !seen.has(id))).toEqual([]);
    // … and the watermark did not pass it: the next poll reads both changes.
    await new Promise((r) => setTimeout(r, 1_100));
    const next = await poll(new Date(first.watermark), () => {});
    const latest = new Map(next.jobs.map((j) => [j.recordId, j.snapshot?.Phone]));
    expect(latest.get(read)).toBe('changed after its page');
    expect(latest.get(unread)).toBe('changed before its page');
  });
});
