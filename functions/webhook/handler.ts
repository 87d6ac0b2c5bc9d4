/** Composition root of the webhook Lambda (HTTP API v2 → jobs queue). */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { rawConfigFromEnv } from '#functions/commons/config-raw.ts';
import { makeLogger, makeSqsClient, requireEnv } from '#functions/commons/runtime.ts';
import { SqsJobQueue } from '#shared/aws/job-queue.ts';
import { secretReader } from '#shared/config/secrets.ts';
import { companyClock } from '#shared/intacct/clock.ts';
import { parseWebhookSecret, webhookSettings } from './settings.ts';
import { makeWebhook } from './use-case.ts';

const settings = webhookSettings(rawConfigFromEnv());
const webhook = makeWebhook({
  queue: new SqsJobQueue({ client: makeSqsClient(), queueUrl: requireEnv('JOBS_QUEUE_URL') }),
  orgId: process.env.SALESFORCE_ORG_ID ?? settings.orgId,
  flows: settings.flows,
  secret: secretReader({ name: 'WEBHOOK_SECRET', parse: parseWebhookSecret }),
  logger: makeLogger('webhook'),
  intacctClock: companyClock(settings.intacctTimeZone),
  allowedSourceCidrs: settings.allowedSourceCidrs,
  intacctPush: settings.intacctPush,
});

async function handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = event.body ?? '';
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) headers[key.toLowerCase()] = value;
  return webhook({
    method: event.requestContext.http.method,
    routeKey: event.routeKey,
    headers,
    pathParameters: event.pathParameters ?? {},
    body: event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    requestId: event.requestContext.requestId,
    sourceIp: event.requestContext.http.sourceIp,
  });
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(handle);
