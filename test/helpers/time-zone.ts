/**
 * The time-zone cases of issue 10 for one company zone: the Intacct simulator runs its clock in
 * that zone and the config names it. Intacct changes are picked up by the next poll, and a
 * `latest` conflict goes to the side that really changed last, whichever side that is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import { testConfig } from './config.ts';
import { runSchedule, status } from './local-stack.ts';

export function describeCompanyTimeZone(timeZone: string, label: string): void {
  describe(`an Intacct company at ${label} (${timeZone})`, () => {
    let stack: LocalStack;
    beforeAll(async () => {
      const raw = structuredClone(testConfig());
      stack = await startLocalStack({
        config: parseSyncConfig({ ...raw, intacct: { ...raw.intacct, timezone: timeZone } }),
        seed: 'empty',
        timers: false,
        intacct: { timeZone },
        runtime: { visibilityTimeoutSeconds: 2 },
      });
      // Changes travel by the polls only, so both sides can change before either syncs (a real conflict).
      stack.salesforce.setOutboundEndpoint(undefined);
    });
    afterAll(() => stack.stop(2000));

    const poll = async (...schedules: string[]) => {
      for (const s of schedules) {
        await runSchedule(stack, s);
        expect((await status(stack, 30)).idle).toBe(true);
      }
    };
    const tick = () => new Promise((r) => setTimeout(r, 1100));
    const linked = async (name: string, key: string) => {
      const id = stack.salesforce.asUser.create('Account', { Name: name, AccountNumber: key });
      await poll('salesforce-delta', 'intacct-delta');
      expect(stack.intacct.record('CUSTOMER', key)).toBeDefined();
      return id;
    };

    it('runs the simulated company on that clock', () => {
      const created = stack.intacct.userCreate('CUSTOMER', {
        CUSTOMERID: 'TZ-CLOCK',
        NAME: 'Clock check',
        DISPLAYCONTACT: { PRINTAS: 'Clock check' },
      });
      const [mm, dd, yyyy, h, mi] = String(created.WHENMODIFIED).split(/[/ :]/).map(Number) as number[];
      const wall = Date.UTC(yyyy as number, (mm as number) - 1, dd, h, mi);
      const offsetHours = Math.round((wall - Date.now()) / 3_600_000);
      expect(offsetHours).toBe(label === 'UTC−8' ? -8 : 10);
    });

    it('picks up an Intacct change with the next poll', async () => {
      const id = await linked('Zone Poll Ltd', 'TZ-POLL');
      await tick();
      stack.intacct.userUpdate('CUSTOMER', 'TZ-POLL', { DISPLAYCONTACT: { PHONE1: '+1 555 0101' } });
      await poll('intacct-delta');
      expect(stack.salesforce.record('Account', id)?.Phone).toBe('+1 555 0101');
    });

    it('gives a `latest` conflict to Intacct when Intacct changed last', async () => {
      const id = await linked('Zone Latest A', 'TZ-LA');
      await tick();
      stack.salesforce.asUser.update('Account', id, { Website: 'https://salesforce-first.example' });
      await tick();
      stack.intacct.userUpdate('CUSTOMER', 'TZ-LA', {
        DISPLAYCONTACT: { URL1: 'https://intacct-last.example' },
      });
      await poll('salesforce-delta', 'intacct-delta', 'salesforce-delta');
      expect(stack.salesforce.record('Account', id)?.Website).toBe('https://intacct-last.example');
      expect(stack.intacct.record('CUSTOMER', 'TZ-LA')).toMatchObject({
        DISPLAYCONTACT: { URL1: 'https://intacct-last.example' },
      });
    });

    it('gives a `latest` conflict to Salesforce when Salesforce changed last', async () => {
      const id = await linked('Zone Latest B', 'TZ-LB');
      await tick();
      stack.intacct.userUpdate('CUSTOMER', 'TZ-LB', {
        DISPLAYCONTACT: { URL1: 'https://intacct-first.example' },
      });
      await tick();
      stack.salesforce.asUser.update('Account', id, { Website: 'https://salesforce-last.example' });
      await poll('intacct-delta', 'salesforce-delta', 'intacct-delta');
      expect(stack.salesforce.record('Account', id)?.Website).toBe('https://salesforce-last.example');
      expect(stack.intacct.record('CUSTOMER', 'TZ-LB')).toMatchObject({
        DISPLAYCONTACT: { URL1: 'https://salesforce-last.example' },
      });
    });
  });
}
