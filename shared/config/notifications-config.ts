/**
 * The `notifications` section of the sync config (DESIGN §9): the failure digest. Every key has a
 * default; without the section a digest goes out at most once an hour per flow. docs/deploying.md
 * "Failure notifications" explains how to subscribe.
 */
import * as z from 'zod/v4';

/** The schedule that runs the digest (the scheduler's task name). */
export const DIGEST_SCHEDULE = 'failure-digest';

export const notificationsConfigSchema = z
  .strictObject({
    /**
     * At most one digest per flow in each window of this many minutes (windows start at whole
     * multiples of it since the epoch: 60 = on the hour). It is also how often the digest runs,
     * unless `schedules[]` defines a "failure-digest" schedule of its own.
     */
    digestMinutes: z
      .number({ error: 'write the digest interval in minutes, e.g. 60' })
      .int('write whole minutes, e.g. 60')
      .min(5, 'a digest needs at least 5 minutes between messages (the DLQ alarm is the fast signal)')
      .max(1440, 'send a digest at least once a day: at most 1440 minutes')
      .default(60),
    /** Failures listed in one message; the rest are counted with a pointer to `sfi failures`. */
    maxFailuresPerMessage: z
      .number({ error: 'write how many failures one message lists, e.g. 50' })
      .int('write a whole number of failures')
      .min(1, 'list at least 1 failure per message')
      .max(200, 'list at most 200 failures per message (SNS takes 256 KB)')
      .default(50),
  })
  .prefault({});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

interface Schedule {
  name: string;
  rate?: string | undefined;
  cron?: string | undefined;
  description: string;
}

/**
 * The configured schedules plus the digest's: a "failure-digest" entry in `schedules[]` wins (a
 * cron for office hours, say); otherwise the digest runs every `digestMinutes`.
 */
export function withDigestSchedule<S extends Schedule>(
  schedules: readonly S[],
  notifications: NotificationsConfig,
): Array<S | Schedule> {
  if (schedules.some((s) => s.name === DIGEST_SCHEDULE)) return [...schedules];
  return [
    ...schedules,
    {
      name: DIGEST_SCHEDULE,
      rate: `${notifications.digestMinutes} minutes`,
      description: 'Failure digest: new open failures per flow to the failure topic',
    },
  ];
}
