import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { withDigestSchedule } from '#shared/config/notifications-config.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { FailureTopic } from './constructs/failure-topic.ts';
import { toLogRetention } from './constructs/log-retention.ts';
import { PipelineAlarms } from './constructs/pipeline-alarms.ts';
import { PipelineDashboard } from './constructs/pipeline-dashboard.ts';
import { ScheduleRules } from './constructs/schedule-rules.ts';
import { SyncFunction } from './constructs/sync-function.ts';
import { WebhookApi } from './constructs/webhook-api.ts';
import { ENV, functionDefinitions, queueDefinitions, ROUTES } from './definitions.ts';
import type { StatefulStack } from './stateful-stack.ts';

/**
 * Lambda caps all environment variables of a function at 4 KB together; the ARNs and URLs take
 * under 1 KB, so the config may use the rest.
 */

export interface StatelessStackProps extends StackProps {
  config: SyncConfig;
  /** Absolute path of the repository root. */
  projectRoot: string;
  namePrefix: string;
  stateful: StatefulStack;
}

/**
 * The code and its wiring: the three functions, the webhook HTTP API, the schedules, the worker's
 * queue subscription, alarms and the dashboard. Safe to destroy and redeploy at any time.
 */
export class StatelessStack extends Stack {
  readonly webhook: SyncFunction;
  readonly worker: SyncFunction;
  readonly scheduler: SyncFunction;
  readonly api: WebhookApi;
  readonly schedules: ScheduleRules;
  readonly alarms: PipelineAlarms;
  readonly failures: FailureTopic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const definitions = functionDefinitions(config);
    const queues = queueDefinitions(config);
    const logRetention = toLogRetention(config.retention.logDays);
    const common = {
      projectRoot: props.projectRoot,
      logRetention,
      environment: { [ENV.salesforceOrgId]: config.salesforce.orgId },
      // The validated config is compiled into each bundle: Lambda's 4 KB environment cannot hold it.
      define: { [`process.env.${ENV.syncConfig}`]: JSON.stringify(JSON.stringify(config)) },
    };

    // Webhook: authenticate, enqueue, ack. It never touches the tables or the API credentials.
    this.webhook = new SyncFunction(this, 'Webhook', {
      ...common,
      functionId: 'webhook',
      definition: definitions.webhook,
    })
      .bindQueueSender(queues.jobs.envVar, stateful.jobsQueue)
      .bindSecret(ENV.webhookSecretArn, stateful.webhookSecret);

    // Worker: consumes jobs, talks to both systems, records state; sends a permanent failure to the DLQ at once;
    // re-sends a deferred job (paused flow, bulk over budget) to the jobs queue, delayed.
    this.worker = new SyncFunction(this, 'Worker', {
      ...common,
      functionId: 'worker',
      definition: definitions.worker,
    })
      .consumeQueue(queues.jobs.envVar, stateful.jobsQueue, config.worker)
      .bindQueueSender(queues.jobs.envVar, stateful.jobsQueue)
      .bindQueueSender(queues.dlq.envVar, stateful.deadLetterQueue)
      .bindSecret(ENV.salesforceSecretArn, stateful.salesforceSecret)
      .bindSecret(ENV.intacctSecretArn, stateful.intacctSecret);
    for (const bound of stateful.tables) this.worker.bindTable(bound, 'readWrite');

    this.failures = new FailureTopic(this, 'Failures');
    // Scheduler: polls both systems for changes and enqueues jobs; keeps watermarks, leases and
    // reports in the state table; the reconciliation reads the crosswalk (a scan), never writes it,
    // nor does the dry run (its writes stay in memory: read access is all it can have);
    // the failure digest reads the ledger's open failures and publishes to the failure topic.
    this.scheduler = new SyncFunction(this, 'Scheduler', {
      ...common,
      functionId: 'scheduler',
      definition: definitions.scheduler,
    })
      .bindQueueSender(queues.jobs.envVar, stateful.jobsQueue)
      .bindTable(stateful.table('state'), 'readWrite')
      .bindTable(stateful.table('crosswalk'), 'read')
      .bindTable(stateful.table('ledger'), 'read')
      .bindTopicPublisher(ENV.failureTopicArn, this.failures.topic, this.failures.key)
      .bindSecret(ENV.salesforceSecretArn, stateful.salesforceSecret)
      .bindSecret(ENV.intacctSecretArn, stateful.intacctSecret);
    // A report (the revenue reconciliation) runs in the scheduler and records its refused rows as
    // failures, its counts as stats: with one switched on, the scheduler may write the ledger.
    if (config.reports.some((r) => r.enabled))
      this.scheduler.bindTable(stateful.table('ledger'), 'readWrite');

    this.api = new WebhookApi(this, 'WebhookApi', {
      routes: ROUTES,
      functions: { webhook: this.webhook.fn },
      logRetention,
      rateLimit: 50,
      burstLimit: 100,
      mutualTls: config.webhook.mutualTls,
    });
    this.schedules = new ScheduleRules(this, 'Schedules', {
      schedules: withDigestSchedule(config.schedules, config.notifications),
      target: this.scheduler.fn,
    });
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      thresholds: config.alarms,
      jobsQueue: stateful.jobsQueue,
      deadLetterQueue: stateful.deadLetterQueue,
      worker: this.worker.fn,
    });
    const dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: `${props.namePrefix}-sync`,
      api: this.api.api,
      jobsQueue: stateful.jobsQueue,
      deadLetterQueue: stateful.deadLetterQueue,
      functions: { webhook: this.webhook.fn, worker: this.worker.fn, scheduler: this.scheduler.fn },
      alarms: [
        this.alarms.deadLetters,
        this.alarms.workerErrors,
        this.alarms.oldestJobAge,
        this.alarms.intacctBudget,
      ],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the webhook HTTP API' });
    if (this.api.domain !== undefined) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.domain.regionalDomainName,
        description: `Point a CNAME (or Route 53 alias) for ${config.webhook.mutualTls?.domainName} at this name`,
      });
    }
    const tokenRoute = ROUTES.find((route) => route.path.endsWith('/{token}'));
    if (tokenRoute !== undefined) {
      new CfnOutput(this, 'SalesforceOutboundMessageUrl', {
        value: `${this.api.url}${tokenRoute.path.slice(1)}`,
        description:
          'Endpoint URL for the Salesforce outbound message; replace {token} with salesforcePathToken from the webhook secret',
      });
    }
    const intacctRoute = ROUTES.find((route) => route.path.startsWith('/intacct/'));
    if (intacctRoute !== undefined) {
      new CfnOutput(this, 'IntacctEventsUrl', {
        value: `${this.api.pushUrl}${intacctRoute.path.slice(1)}`,
        description:
          'URL for Intacct Smart Event / Platform Trigger HTTP posts: send intacctSharedSecret in x-sfi-secret, or append /<secret>',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe an e-mail address or chat integration to receive alarm notifications',
    });
    new CfnOutput(this, 'FailureTopicArn', {
      value: this.failures.topic.topicArn,
      description:
        'Subscribe an e-mail address to receive the failure digest (docs/deploying.md, Failure notifications)',
    });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName });
    // sfi invokes the scheduler for on-demand runs (run-schedule, backfill, dry-run, reconcile).
    new CfnOutput(this, 'SchedulerFunctionName', {
      value: this.scheduler.fn.functionName,
      description: 'The scheduler Lambda: sfi run-schedule, backfill, dry-run and reconcile invoke it',
    });
  }
}

/**
 * The validated config (defaults filled in) as compact JSON, the same form the local runtime
 * passes, so deployed and local functions parse identical input.
 */
