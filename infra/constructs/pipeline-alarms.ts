import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { METRIC, METRICS_NAMESPACE } from '#shared/observability/metrics.ts';

export interface PipelineAlarmsProps {
  thresholds: SyncConfig['alarms'];
  jobsQueue: IQueue;
  deadLetterQueue: IQueue;
  worker: IFunction;
}

/**
 * The alarms an operator must act on (DESIGN §3.7): anything in the DLQ, a worker that keeps
 * failing, jobs waiting too long, and the Intacct transaction budget passed (from EMF metrics). All notify one SNS topic the operator subscribes to.
 */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;
  readonly deadLetters: Alarm;
  readonly workerErrors: Alarm;
  readonly oldestJobAge: Alarm;
  readonly intacctBudget: Alarm;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Salesforce–Intacct sync alarms',
      enforceSSL: true,
    });

    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription:
        'Jobs reached the DLQ: inspect them with "sfi failures", fix the cause, then "sfi redrive"',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: thresholds.dlqDepth,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.workerErrors = new Alarm(this, 'WorkerErrors', {
      alarmDescription: 'The worker failed whole invocations (crash or timeout); see its log group',
      metric: props.worker.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: thresholds.workerErrors,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.oldestJobAge = new Alarm(this, 'OldestJobAge', {
      alarmDescription: 'Jobs wait too long in the queue: the worker is failing, throttled or too small',
      metric: props.jobsQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: thresholds.oldestMessageAgeSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Three minutes in a row: one slow batch should not page anyone.
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.intacctBudget = new Alarm(this, 'IntacctBudget', {
      alarmDescription:
        'Intacct API transactions this month passed intacct.monthlyTransactionBudget: overage is billed per transaction',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.budgetUsedPercent,
        dimensionsMap: { Service: 'worker' },
        period: Duration.hours(1),
        statistic: 'Maximum',
      }),
      threshold: 100,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    for (const alarm of [this.deadLetters, this.workerErrors, this.oldestJobAge, this.intacctBudget]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
