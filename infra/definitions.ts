/**
 * The single source of truth for the stateful resources. The CDK stacks build their tables and
 * queues from these definitions and the local runtime provisions dynalite and fauxqs from the same
 * ones, so keys, indexes and queue attributes cannot drift between deployed and local runs.
 * This module has no CDK import: Lambdas and the local runtime load it too.
 */
import type { SyncConfig } from '#shared/config/sync-config.ts';

export type AttributeType = 'S' | 'N';

export interface TableDefinition {
  /** Logical id, also the suffix of the physical table name. */
  id: 'state' | 'crosswalk' | 'ledger';
  description: string;
  partitionKey: { name: string; type: AttributeType };
  sortKey: { name: string; type: AttributeType };
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  timeToLiveAttribute?: string;
  globalSecondaryIndexes: Array<{
    indexName: string;
    partitionKey: { name: string; type: AttributeType };
    sortKey: { name: string; type: AttributeType };
  }>;
  /** Environment variable through which functions learn the physical name. */
  envVar: string;
}

export const TABLES: readonly TableDefinition[] = [
  {
    id: 'state',
    description: 'Sync state: watermarks per flow and side, scheduler leases and run records',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [],
    envVar: 'STATE_TABLE',
  },
  {
    id: 'crosswalk',
    description: 'ID crosswalk Salesforce ⇄ Intacct per flow, with last synced versions and payload hashes',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Claims before creates expire by themselves; links and pointers carry no expiry.
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [],
    envVar: 'CROSSWALK_TABLE',
  },
  {
    id: 'ledger',
    description: 'Per-flow per-day stats, per-record audit and the failure log',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      {
        indexName: 'byKind',
        partitionKey: { name: 'kind', type: 'S' },
        sortKey: { name: 'at', type: 'S' },
      },
    ],
    envVar: 'LEDGER_TABLE',
  },
];

export interface QueueDefinition {
  id: 'jobs' | 'dlq';
  /** Seconds a received message stays invisible; jobs uses 6× the worker timeout (AWS guidance). */
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** For the jobs queue: receives before SQS moves a message to the DLQ. */
  maxReceiveCount?: number;
  envVar: string;
}

/** Queue attributes derived from the config: visibility ≥ 6× worker timeout, DLQ kept 14 days. */
export function queueDefinitions(config: SyncConfig): { jobs: QueueDefinition; dlq: QueueDefinition } {
  return {
    jobs: {
      id: 'jobs',
      visibilityTimeoutSeconds: config.worker.timeoutSeconds * 6,
      retentionSeconds: 4 * 24 * 3600,
      maxReceiveCount: config.worker.maxReceiveCount,
      envVar: 'JOBS_QUEUE_URL',
    },
    dlq: {
      id: 'dlq',
      visibilityTimeoutSeconds: 30,
      retentionSeconds: 14 * 24 * 3600,
      envVar: 'DLQ_URL',
    },
  };
}

/** Environment variables the functions read (besides table and queue names). */
export const ENV = {
  salesforceSecretArn: 'SALESFORCE_SECRET_ARN',
  intacctSecretArn: 'INTACCT_SECRET_ARN',
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  salesforceOrgId: 'SALESFORCE_ORG_ID',
  syncConfig: 'SYNC_CONFIG',
  failureTopicArn: 'FAILURE_TOPIC_ARN',
  logLevel: 'LOG_LEVEL',
} as const;

export type FunctionId = 'webhook' | 'worker' | 'scheduler';

/** Where each Lambda's handler lives and what it is sized for. */
export function functionDefinitions(config: SyncConfig): Record<
  FunctionId,
  {
    entry: string;
    description: string;
    timeoutSeconds: number;
    memoryMb: number;
  }
> {
  return {
    webhook: {
      entry: 'functions/webhook/handler.ts',
      description: 'Salesforce outbound messages and Intacct push events → jobs queue',
      timeoutSeconds: 10,
      memoryMb: 256,
    },
    worker: {
      entry: 'functions/worker/handler.ts',
      description: 'Consumes jobs: maps and writes to Intacct and Salesforce',
      timeoutSeconds: config.worker.timeoutSeconds,
      memoryMb: 1024,
    },
    scheduler: {
      entry: 'functions/scheduler/handler.ts',
      description: 'Delta polls, backfills and reconciliation → jobs queue; the failure digest → SNS',
      timeoutSeconds: 300,
      memoryMb: 512,
    },
  };
}

/** HTTP API routes and the function that serves them. */
export const ROUTES = [
  { method: 'POST', path: '/salesforce/outbound-message', fn: 'webhook' },
  { method: 'POST', path: '/salesforce/outbound-message/{token}', fn: 'webhook' },
  { method: 'POST', path: '/intacct/events', fn: 'webhook' },
  // Smart Event HTTP posts cannot set headers: the shared secret may come as the last path segment.
  { method: 'POST', path: '/intacct/events/{token}', fn: 'webhook' },
] as const satisfies ReadonlyArray<{ method: string; path: string; fn: FunctionId }>;

/** Physical table name for a stack prefix (the stack passes its own; local uses "sfi-local"). */
export function tableName(prefix: string, table: TableDefinition): string {
  return `${prefix}-${table.id}`;
}
