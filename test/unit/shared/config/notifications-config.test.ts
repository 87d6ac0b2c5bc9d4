import { describe, expect, it } from 'vitest';
import { DIGEST_SCHEDULE, withDigestSchedule } from '#shared/config/notifications-config.ts';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

const shipped = shippedConfigJson();
const withNotifications = (notifications: unknown) => ({ ...shipped, notifications });

describe('sync config: notifications', () => {
  it('defaults to a digest per flow at most every 60 minutes, listing up to 50 failures', () => {
    const { notifications: _, ...without } = shipped;
    expect(parseSyncConfig(without).notifications).toEqual({ digestMinutes: 60, maxFailuresPerMessage: 50 });
  });

  it('takes its own interval and list size', () => {
    expect(
      parseSyncConfig(withNotifications({ digestMinutes: 15, maxFailuresPerMessage: 10 })).notifications,
    ).toEqual({ digestMinutes: 15, maxFailuresPerMessage: 10 });
  });

  it('says what is wrong with each bad value and what to write instead', () => {
    expect(configProblems(withNotifications({ digestMinutes: 1, maxFailuresPerMessage: 0 }))).toEqual([
      'my.json: notifications.digestMinutes: a digest needs at least 5 minutes between messages (the DLQ alarm is the fast signal)',
      'my.json: notifications.maxFailuresPerMessage: list at least 1 failure per message',
    ]);
    expect(configProblems(withNotifications({ digestMinutes: 90.5 }))).toEqual([
      'my.json: notifications.digestMinutes: write whole minutes, e.g. 60',
    ]);
    expect(configProblems(withNotifications({ digestMinutes: '1 hour' }))).toEqual([
      'my.json: notifications.digestMinutes: write the digest interval in minutes, e.g. 60',
    ]);
    expect(configProblems(withNotifications({ digestMinutes: 2000 }))).toEqual([
      'my.json: notifications.digestMinutes: send a digest at least once a day: at most 1440 minutes',
    ]);
    expect(configProblems(withNotifications({ digestMinute: 60 }))).toEqual([
      expect.stringContaining('my.json: notifications: Unrecognized key: "digestMinute"'),
    ]);
  });

  it('runs the digest every digestMinutes unless schedules[] gives it a schedule of its own', () => {
    const notifications = { digestMinutes: 30, maxFailuresPerMessage: 50 };
    const polls = [{ name: 'salesforce-delta', rate: '5 minutes', description: '' }];
    expect(withDigestSchedule(polls, notifications)).toEqual([
      ...polls,
      { name: DIGEST_SCHEDULE, rate: '30 minutes', description: expect.any(String) },
    ]);
    const own = [
      ...polls,
      { name: DIGEST_SCHEDULE, cron: '0 8-18 ? * MON-FRI *', description: 'office hours' },
    ];
    expect(withDigestSchedule(own, notifications)).toEqual(own);
  });
});
