import * as z from 'zod/v4';

/** Why a job exists (DESIGN §5). */
export const jobReasons = ['webhook', 'push', 'delta', 'backfill', 'replay', 'reconcile'] as const;

/**
 * One SQS message per record change. `version` is the source's SystemModstamp / WHENMODIFIED when the
 * producer knew it, and `snapshot` the record's fields as the producer saw them (absent fields = null).
 */
export const jobSchema = z.object({
  v: z.literal(1),
  flow: z.string().min(1),
  source: z.enum(['salesforce', 'intacct']),
  object: z.string().min(1),
  recordId: z.string().min(1),
  reason: z.enum(jobReasons),
  version: z.string().optional(),
  notificationId: z.string().optional(),
  correlationId: z.string().min(1),
  snapshot: z.record(z.string(), z.string().nullable()).optional(),
  enqueuedAt: z.string(),
});

export type Job = z.infer<typeof jobSchema>;

/** Parses an SQS body into a Job; throws a zod error that names the bad field. */
export function parseJob(body: string): Job {
  return jobSchema.parse(JSON.parse(body));
}
