/**
 * Helpers for the reliability suites: an observer of what the worker's event source receives and
 * acknowledges on the jobs queue, a reader of the DLQ with its failure attributes, and posting
 * outbound messages to the local webhook.
 */
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalStack } from '#local/local-stack.ts';
import type { Job } from '#shared/jobs/job.ts';

/** Per job body seen on the jobs queue: how often the worker got it and how often it was deleted (done). */
export interface JobObserver {
  /** Jobs received by the worker's event source, by body. */
  received: Map<string, number>;
  /** Jobs the event source deleted after the worker reported them done, by body. */
  acked: Map<string, number>;
  jobs(): Job[];
}

/**
 * Watches the SQS client the local worker event source uses (the runtime's `sqs`): every
 * ReceiveMessage answer from the jobs queue and every DeleteMessageBatch on it. A delete means the
 * real worker handler reported the job done (the event source deletes nothing else).
 */
export function observeJobs(stack: LocalStack): JobObserver {
  const jobsUrl = stack.runtime.aws.queues.jobs;
  const bodies = new Map<string, string>(); // receipt handle → body
  const received = new Map<string, number>();
  const acked = new Map<string, number>();
  stack.runtime.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { QueueUrl?: string; Entries?: Array<{ ReceiptHandle?: string }> };
      if (input.QueueUrl !== jobsUrl) return result;
      if (context.commandName === 'ReceiveMessageCommand') {
        for (const m of (result.output as { Messages?: Message[] }).Messages ?? []) {
          bodies.set(m.ReceiptHandle ?? '', m.Body ?? '');
          received.set(m.Body ?? '', (received.get(m.Body ?? '') ?? 0) + 1);
        }
      } else if (context.commandName === 'DeleteMessageBatchCommand') {
        const ok = new Set(
          ((result.output as { Successful?: Array<{ Id?: string }> }).Successful ?? []).map((s) => s.Id),
        );
        (input.Entries as Array<{ Id?: string; ReceiptHandle?: string }>).forEach((entry) => {
          const body = bodies.get(entry.ReceiptHandle ?? '');
          if (body !== undefined && ok.has(entry.Id)) acked.set(body, (acked.get(body) ?? 0) + 1);
        });
      }
      return result;
    },
    { step: 'initialize', name: 'reliabilityJobObserver' },
  );
  return {
    received,
    acked,
    jobs: () => [...received.keys()].map((b) => JSON.parse(b) as Job),
  };
}

export interface DeadLetterEntry {
  job: Job | undefined;
  body: string;
  /** The failure attributes the worker attaches (errorCode, errorMessage, hint, …); empty when SQS's redrive policy moved it. */
  attributes: Record<string, string>;
}

/**
 * Reads every message on the DLQ (hiding each for `hideSeconds`, so call it once, at the end).
 * Bounded: stops after `max` messages or when a receive comes back empty.
 */
export async function readDeadLetters(
  stack: LocalStack,
  hideSeconds = 300,
  max = 5000,
): Promise<DeadLetterEntry[]> {
  const out: DeadLetterEntry[] = [];
  while (out.length < max) {
    const page = await stack.runtime.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.runtime.aws.queues.dlq,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: hideSeconds,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      let job: Job | undefined;
      try {
        job = JSON.parse(m.Body ?? '') as Job;
      } catch {
        job = undefined;
      }
      out.push({
        job,
        body: m.Body ?? '',
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
        ),
      });
    }
  }
  return out;
}

/** POSTs a body to the webhook's outbound-message URL as Salesforce does. */
export function postOutbound(
  stack: LocalStack,
  body: string,
  options: { contentType?: string; url?: string } = {},
): Promise<Response> {
  return fetch(options.url ?? stack.runtime.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'text/xml; charset=utf-8', soapaction: '""' },
    body,
  });
}

/** POSTs a body to the Intacct push route; the shared secret is sent unless `secret` is null. */
export function postPush(
  stack: LocalStack,
  body: string,
  options: { contentType?: string; secret?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const secret =
    options.secret === undefined ? stack.runtime.webhookSecret.intacctSharedSecret : options.secret;
  if (secret !== null) headers['x-sfi-secret'] = secret;
  return fetch(stack.runtime.intacctPushUrl, { method: 'POST', headers, body });
}

/** Runs `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
