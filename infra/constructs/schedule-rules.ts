import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { SyncConfig } from '#shared/config/sync-config.ts';

export interface ScheduleRulesProps {
  schedules: SyncConfig['schedules'];
  target: IFunction;
}

/**
 * One EventBridge rule per configured schedule, each invoking the scheduler with a scheduled event
 * whose `detail.schedule` names the schedule, the same shape the local runtime's timer delivers.
 */
export class ScheduleRules extends Construct {
  readonly rules: Map<string, Rule>;

  constructor(scope: Construct, id: string, props: ScheduleRulesProps) {
    super(scope, id);
    this.rules = new Map();
    for (const schedule of props.schedules) {
      const rule = new Rule(this, schedule.name, {
        description: schedule.description || `Runs the ${schedule.name} schedule`,
        schedule: toSchedule(schedule),
      });
      rule.addTarget(
        new LambdaFunction(props.target, {
          // A missed delta poll is caught up by the next one (watermarks), so retries stay short.
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          event: RuleTargetInput.fromObject({
            version: '0',
            id: EventField.eventId,
            'detail-type': 'Scheduled Event',
            source: 'aws.events',
            account: EventField.account,
            time: EventField.time,
            region: EventField.region,
            resources: EventField.fromPath('$.resources'),
            detail: { schedule: schedule.name },
          }),
        }),
      );
      this.rules.set(schedule.name, rule);
    }
  }
}

const RATE_UNITS = {
  minute: Duration.minutes,
  hour: Duration.hours,
  day: Duration.days,
} as const;

/** The config writes "5 minutes" or "1 hour"; CDK renders the singular/plural EventBridge insists on. */
function toSchedule(schedule: SyncConfig['schedules'][number]): Schedule {
  if (schedule.cron !== undefined) return Schedule.expression(`cron(${schedule.cron})`);
  const match = /^(\d+) (minute|hour|day)s?$/.exec(schedule.rate ?? '');
  if (match === null)
    throw new Error(`schedule ${schedule.name}: rate "${schedule.rate}" is not "<n> minutes|hours|days"`);
  const [, amount, unit] = match as unknown as [string, string, keyof typeof RATE_UNITS];
  return Schedule.rate(RATE_UNITS[unit](Number(amount)));
}
