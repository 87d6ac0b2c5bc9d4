import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PipelineDashboardProps {
  dashboardName: string;
  api: HttpApi;
  jobsQueue: IQueue;
  deadLetterQueue: IQueue;
  functions: { webhook: IFunction; worker: IFunction; scheduler: IFunction };
  alarms: Alarm[];
}

/** One CloudWatch dashboard that answers "is the sync healthy?" from the top row down. */
export class PipelineDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const { webhook, worker, scheduler } = props.functions;
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 8, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 })],
        [
          graph('Jobs queue', [
            props.jobsQueue.metricApproximateNumberOfMessagesVisible({ period, label: 'waiting' }),
            props.jobsQueue.metricApproximateNumberOfMessagesNotVisible({ period, label: 'in flight' }),
          ]),
          graph('Dead-letter queue', [
            props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, label: 'failed jobs' }),
          ]),
          graph('Age of oldest job (s)', [props.jobsQueue.metricApproximateAgeOfOldestMessage({ period })]),
        ],
        [
          graph('Worker invocations and errors', [
            worker.metricInvocations({ period }),
            worker.metricErrors({ period }),
            worker.metricThrottles({ period }),
          ]),
          graph('Worker duration (ms)', [
            worker.metricDuration({ period, statistic: 'p50' }),
            worker.metricDuration({ period, statistic: 'p99' }),
          ]),
          graph('Scheduler runs and errors', [
            scheduler.metricInvocations({ period }),
            scheduler.metricErrors({ period }),
          ]),
        ],
        [
          graph('Webhook requests', [props.api.metricCount({ period })]),
          graph('Webhook 4xx / 5xx', [
            props.api.metricClientError({ period, label: '4xx' }),
            props.api.metricServerError({ period, label: '5xx' }),
          ]),
          graph('Webhook function errors and duration', [
            webhook.metricErrors({ period }),
            webhook.metricDuration({ period, statistic: 'p99' }),
          ]),
        ],
      ],
    });
  }
}
