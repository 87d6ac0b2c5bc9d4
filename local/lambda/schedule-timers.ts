/** Local EventBridge: rate schedules fire on timers; cron ones run on demand (POST /schedules/{name}/run). */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** "5 minutes" → 300000; undefined for cron schedules. */
export function rateToMs(rate: string | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const [count, unit = ''] = rate.split(' ');
  const ms = UNIT_MS[unit.replace(/s$/, '')];
  return ms === undefined ? undefined : Number(count) * ms;
}

/** The event EventBridge delivers for a rule whose input carries the schedule name (the stack does this). */
export function scheduledEvent(schedule: string, region: string): ScheduledEvent<{ schedule: string }> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/sfi-local-${schedule}`],
    detail: { schedule },
  };
}

/** Starts one interval per rate schedule; returns a function that clears them all. */
export function startScheduleTimers(
  schedules: ReadonlyArray<{ name: string; rate?: string }>,
  fire: (name: string) => void,
  scale = 1,
): () => void {
  const timers = schedules.flatMap((s) => {
    const ms = rateToMs(s.rate);
    return ms === undefined ? [] : [setInterval(() => fire(s.name), Math.max(1000, ms * scale))];
  });
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
