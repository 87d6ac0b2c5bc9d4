import { readFileSync } from 'node:fs';
import * as z from 'zod/v4';
import { ValidationError } from '#shared/errors.ts';
import { timeZoneProblem } from '#shared/intacct/clock.ts';
import { flowSchema } from '#shared/sync/flow-schema.ts';
import { activeFlagField, referencedFlow } from '#shared/sync/flows.ts';
import { reportSchema } from '#shared/sync/report-schema.ts';
import { writtenFields } from '#shared/sync/written-fields.ts';
import { budgetConfigSchema, checkBudget } from './budget-config.ts';
import { documentProblems } from './document-checks.ts';
import { notificationsConfigSchema } from './notifications-config.ts';
import { recordsProblems } from './records-checks.ts';
import { reportProblems } from './report-checks.ts';
import { webhookConfigSchema } from './webhook-config.ts';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,40}$/, 'use lower-case letters, digits and dashes, starting with a letter');

const schedule = z
  .object({
    name,
    rate: z
      .string()
      .regex(/^\d+ (minute|minutes|hour|hours|day|days)$/, 'write a rate like "5 minutes" or "1 hour"')
      .optional(),
    cron: z
      .string()
      .regex(/^(\S+ ){5}\S+$/, 'write an EventBridge cron with 6 fields, e.g. "0 3 * * ? *"')
      .optional(),
    description: z.string().default(''),
  })
  .refine((s) => (s.rate === undefined) !== (s.cron === undefined), {
    message: 'give exactly one of "rate" or "cron"',
  });

/** The sync config schema (DESIGN §4). Later flows extend `flows[]`; the runtime sections size the stack. */
export const syncConfigSchema = z
  .object({
    version: z.literal(1),
    salesforce: z.strictObject({
      apiVersion: z.string().regex(/^\d{2}\.0$/, 'write the API version like "62.0"'),
      orgId: z
        .string()
        .regex(/^00D[0-9A-Za-z]{15}$/, 'use the 18-character Organization ID (Setup → Company Information)'),
      /**
       * Share of the org's daily API allowance kept for real-time work: bulk work (backfills,
       * reconcile repairs) waits once the use seen in Sforce-Limit-Info reaches the rest.
       */
      apiReservePercent: z.number().min(0).max(90).default(10),
    }),
    intacct: z.strictObject({
      maxConcurrentRequests: z.number().int().min(1).max(20).default(2),
      functionsPerRequest: z.number().int().min(1).max(100).default(50),
      monthlyTransactionBudget: z.number().int().positive().default(100_000),
      /** The budget governor's allowance and reserve (budget-config.ts). */
      budget: budgetConfigSchema.optional(),
      /**
       * The company's time zone (IANA name): Intacct timestamps are its wall-clock time. Check it by
       * creating a record and comparing its WHENMODIFIED with the UTC clock.
       */
      timezone: z
        .string()
        .default('UTC')
        .superRefine((tz, ctx) => {
          const problem = timeZoneProblem(tz);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
    }),
    flows: z.array(flowSchema).min(1, 'configure at least one flow'),
    /** Scheduled aggregates of both systems per key and period (the `report` kind). */
    reports: z.array(reportSchema).default([]),
    worker: z.strictObject({
      timeoutSeconds: z.number().int().min(10).max(900).default(60),
      batchSize: z.number().int().min(1).max(10_000).default(100),
      maxBatchingWindowSeconds: z.number().int().min(0).max(300).default(5),
      maxConcurrency: z.number().int().min(2).max(1000).default(2),
      /**
       * An invocation works its batch in chunks of up to this many jobs of one flow (a Salesforce
       * collection holds 200), `chunksInFlight` at once: while one chunk's creates wait for
       * Intacct, the next one's match read and the previous one's write-back run, and the Intacct
       * client packs them into the same requests.
       */
      chunkSize: z.number().int().min(1).max(10_000).default(200),
      chunksInFlight: z.number().int().min(1).max(50).default(4),
      maxReceiveCount: z.number().int().min(1).max(1000).default(5),
    }),
    schedules: z.array(schedule).default([]),
    /** Delta polls: how far before the watermark each poll re-reads (late commits, clock skew). */
    delta: z
      .strictObject({
        overlapSeconds: z.number().int().min(0).max(86_400).default(300),
        /**
         * Read Intacct deletes from AUDITHISTORY with each poll (the API user needs View permission
         * for custom reports); off, deletes are found by the nightly reconciliation only.
         */
        intacctDeletes: z.boolean().default(true),
        /**
         * Seconds a poll may run in one scheduler invocation (default: the Lambda's remaining time
         * less 30 s); a poll that needs longer checkpoints and resumes at the next run. 0 reads one
         * page per run (tests, the scale bench).
         */
        pollBudgetSeconds: z.number().int().min(0).max(900).optional(),
      })
      .prefault({}),
    /** The reconciliation (the `reconcile` schedule): `fix` repairs drift on scheduled runs too. */
    reconcile: z.strictObject({ fix: z.boolean().default(false) }).prefault({}),
    retention: z.strictObject({
      logDays: z.number().int().positive().default(30),
      auditDays: z.number().int().positive().default(90),
      failureDays: z.number().int().positive().default(365),
    }),
    alarms: z.strictObject({
      dlqDepth: z.number().int().min(1).default(1),
      workerErrors: z.number().int().min(1).default(5),
      oldestMessageAgeSeconds: z.number().int().min(60).default(900),
    }),
    /** Hardening of the public webhook (mutual TLS, source allowlist, push replay window). */
    webhook: webhookConfigSchema,
    /** The failure digest (DESIGN §9): how often per flow, how many failures one message lists. */
    notifications: notificationsConfigSchema,
  })
  .superRefine((config, ctx) => {
    checkBudget(config.intacct, ctx);
    const allNames = config.flows.map((f) => f.name);
    // A flow that is switched off is not run: nothing may depend on it, and it depends on nothing.
    const live = config.flows.filter((f) => f.enabled);
    const flowNames = live.map((f) => f.name);
    for (const [i, flow] of config.flows.entries()) {
      if (allNames.indexOf(flow.name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['flows', i, 'name'],
          message: `flow "${flow.name}" is defined twice`,
        });
      }
      if (!flow.enabled) continue;
      const referenced = referencedFlow(flow);
      const refPath = ['flows', i, ...REFERENCE_PATH[flow.kind]];
      if (referenced !== undefined && !flowNames.includes(referenced)) {
        ctx.addIssue({
          code: 'custom',
          path: refPath,
          message: `${REFERENCE_LABEL[flow.kind]} flow "${referenced}" ${allNames.includes(referenced) ? 'is switched off ("enabled": false)' : 'does not exist'}; use one of: ${flowNames.join(', ')}`,
        });
      } else if (referenced === flow.name) {
        ctx.addIssue({
          code: 'custom',
          path: refPath,
          message: 'a flow cannot reference itself; name the flow that syncs the referenced object',
        });
      }
      if (flow.kind === 'document') {
        for (const problem of documentProblems(flow, live))
          ctx.addIssue({ code: 'custom', path: ['flows', i, ...problem.path], message: problem.message });
        continue;
      }
      // Projections and alerts name the schedule that polls them (and the one that re-checks them).
      if (
        (flow.kind === 'alert' || flow.kind === 'projection') &&
        !config.schedules.some((s) => s.name === flow.poll.schedule)
      )
        ctx.addIssue({
          code: 'custom',
          path: ['flows', i, 'poll', 'schedule'],
          message: `schedule "${flow.poll.schedule}" is not defined; add it to "schedules" or use one of: ${config.schedules.map((s) => s.name).join(', ')}`,
        });
      if ((flow.kind === 'alert' || flow.kind === 'projection') && flow.poll.recheck !== undefined) {
        const recheck = flow.poll.recheck;
        if (recheck === 'reconcile')
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'poll', 'recheck'],
            message: '"reconcile" runs the reconciliation; give the re-check a daily schedule of its own',
          });
        else if (!config.schedules.some((s) => s.name === recheck))
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'poll', 'recheck'],
            message: `schedule "${recheck}" is not defined; add it to "schedules" (daily, e.g. "cron": "0 6 * * ? *")`,
          });
      }
      if (flow.kind === 'alert') {
        const via = config.flows.find((f) => f.name === flow.via);
        if (via !== undefined && via.kind !== 'mirror')
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'via'],
            message: `"${flow.via}" is a ${via.kind} flow; an alert finds its records through a mirror flow's links`,
          });
        continue;
      }
      for (const [j, c] of flow.intacctFilter.entries()) {
        const wants =
          c.op === 'in' ? 'values' : c.op === 'isnull' || c.op === 'isnotnull' ? undefined : 'value';
        if (wants !== undefined && c[wants] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'intacctFilter', j],
            message: `op "${c.op}" needs "${wants}"`,
          });
      }
      if (flow.kind === 'projection') {
        for (const problem of recordsProblems(flow, live))
          ctx.addIssue({ code: 'custom', path: ['flows', i, ...problem.path], message: problem.message });
        const via = config.flows.find((f) => f.name === flow.via);
        if (via !== undefined && via.kind !== 'mirror')
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'via'],
            message: `"${flow.via}" is a ${via.kind} flow; a projection resolves its records through a mirror flow's links`,
          });
        else if (
          via !== undefined &&
          flow.target.type === 'fields' &&
          via.salesforceObject !== flow.salesforceObject
        )
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'salesforceObject'],
            message: `the fields land on the ${via.salesforceObject} records "${flow.via}" links; set salesforceObject to ${via.salesforceObject}`,
          });
        continue;
      }
      if (flow.onIntacctDelete === 'deactivate' && activeFlagField(flow) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['flows', i, 'onIntacctDelete'],
          message:
            '"deactivate" needs a field mapped from STATUS with transform "activeFlag" that Intacct may write; map one or choose fail, unlink or ignore',
        });
      const mapped = new Set<string>();
      for (const [j, field] of flow.fields.entries()) {
        if (mapped.has(field.intacct)) {
          ctx.addIssue({
            code: 'custom',
            path: ['flows', i, 'fields', j, 'intacct'],
            message: `${field.intacct} is mapped twice`,
          });
        }
        mapped.add(field.intacct);
      }
    }
    // Several flows may share an object; no two may write one field of it.
    const writers = new Map<string, string>();
    for (const w of writtenFields(live)) {
      // A records target's own writes land on the records keyed by its external ID only.
      const key = `${w.side}:${w.object}${w.records === undefined ? '' : `[${w.records}]`}.${w.field}`;
      const other = writers.get(key);
      if (other !== undefined && other !== w.flow) {
        ctx.addIssue({
          code: 'custom',
          path: ['flows', config.flows.findIndex((f) => f.name === w.flow), ...w.path],
          message: `${w.object}.${w.field} is also written by flow "${other}"; give each field one writing flow (make it owned by the other system here, or drop it)`,
        });
      } else writers.set(key, w.flow);
    }
    for (const problem of reportProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
    const names = config.schedules.map((s) => s.name);
    for (const [i, n] of names.entries()) {
      if (names.indexOf(n) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedules', i, 'name'],
          message: `schedule "${n}" is defined twice`,
        });
      }
    }
  });

/** Where each kind names the flow it references. */
const REFERENCE_PATH = {
  mirror: ['parent', 'flow'],
  projection: ['via'],
  document: ['customer', 'via'],
  alert: ['via'],
};
const REFERENCE_LABEL = { mirror: 'parent', projection: 'via', document: 'customer.via', alert: 'via' };

export type SyncConfig = z.infer<typeof syncConfigSchema>;

/** Default location of the config file, relative to the project root. */
export const DEFAULT_CONFIG_FILE = 'sync.config.json';

/**
 * Validates an already-parsed config. Throws a ValidationError whose message lists every problem as
 * `file: path: what is wrong`, so an operator can fix them all in one pass.
 */
export function parseSyncConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): SyncConfig {
  const result = syncConfigSchema.safeParse(raw);
  // Flows switched off were validated; from here on only the ones that run exist.
  if (result.success) return { ...result.data, flows: result.data.flows.filter((f) => f.enabled) };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${file}: ${path}: ${issue.message}`;
  });
  throw new ValidationError(`invalid sync config:\n  ${problems.join('\n  ')}`, {
    code: 'CONFIG_INVALID',
    hint: `edit ${file} and run "npm run sfi -- config validate"`,
    meta: { file, problems },
  });
}

/** Reads and validates the config file; a missing file or bad JSON is reported with the file name. */
export function loadSyncConfig(file = DEFAULT_CONFIG_FILE): SyncConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read sync config ${file}: ${(error as Error).message}`, {
      code: 'CONFIG_MISSING',
      hint: `create ${file} (copy the one in the repository) or pass --config <file>`,
      meta: { file },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${file} is not valid JSON: ${(error as Error).message}`, {
      code: 'CONFIG_INVALID',
      hint: `fix the JSON syntax in ${file}`,
      meta: { file },
    });
  }
  return parseSyncConfig(raw, file);
}
