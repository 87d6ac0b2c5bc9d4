/**
 * The two AWS APIs of a deployed stack that `sfi` uses beyond SQS and DynamoDB, served for the
 * local stack on its control server: CloudFormation DescribeStacks (query protocol) answering the
 * outputs a deployed `<prefix>-stateful` / `<prefix>-stateless` pair declares, and Lambda Invoke
 * (REST JSON) of the scheduler function. `GET /local/stack` tells sfi the endpoints and the prefix;
 * from there sfi works exactly as against a deployed stack: the same SDK clients and calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OUTPUT_KEYS, type StackOutputs } from '#shared/ops/stack-outputs.ts';

export const LOCAL_STACK_PREFIX = 'sfi-local';
export const CLOUDFORMATION_PATH = '/local/aws/cloudformation';
const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export interface StackApiDeps {
  region: string;
  endpoints: { sqs: string; dynamodb: string };
  outputs: StackOutputs;
  /** Runs the scheduler handler with this event detail and returns its result. */
  invokeScheduler(detail: Record<string, unknown>): Promise<unknown>;
}

const xmlEscape = (v: string) =>
  v.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** The outputs split as the two stacks declare them. */
function stackOutputs(outputs: StackOutputs): Record<string, Record<string, string>> {
  const stateless = new Set<keyof StackOutputs>(['schedulerFunction', 'failureTopicArn']);
  const stacks: Record<string, Record<string, string>> = {
    [`${LOCAL_STACK_PREFIX}-stateful`]: {},
    [`${LOCAL_STACK_PREFIX}-stateless`]: {},
  };
  for (const [field, key] of Object.entries(OUTPUT_KEYS) as Array<[keyof StackOutputs, string]>) {
    const value = outputs[field];
    if (value === undefined) continue;
    const stack = stacks[`${LOCAL_STACK_PREFIX}-${stateless.has(field) ? 'stateless' : 'stateful'}`];
    if (stack !== undefined) stack[key] = value;
  }
  return stacks;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function describeStacks(response: ServerResponse, deps: StackApiDeps, form: URLSearchParams) {
  const name = form.get('StackName') ?? '';
  const outputs = stackOutputs(deps.outputs)[name];
  if (form.get('Action') !== 'DescribeStacks' || outputs === undefined) {
    const message =
      form.get('Action') !== 'DescribeStacks'
        ? `the local stack answers DescribeStacks only, not ${form.get('Action')}`
        : `Stack with id ${name} does not exist`;
    response
      .writeHead(400, { 'content-type': 'text/xml' })
      .end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
      );
    return;
  }
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${xmlEscape(key)}</OutputKey><OutputValue>${xmlEscape(value)}</OutputValue></member>`,
    )
    .join('');
  response
    .writeHead(200, { 'content-type': 'text/xml' })
    .end(
      `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${xmlEscape(name)}</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
}

/** An error of the function itself, as Lambda reports it: 200 with X-Amz-Function-Error. */
function functionError(error: unknown) {
  const e = error as { name?: string; message?: string; code?: string; hint?: string };
  return JSON.stringify({
    errorType: e.name ?? 'Error',
    errorMessage: e.message ?? String(error),
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.hint === undefined ? {} : { hint: e.hint }),
  });
}

/** Serves the request when it is one of these APIs' (true), else leaves it (false). */
export async function handleStackApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: StackApiDeps,
  controlUrl: () => string,
): Promise<boolean> {
  if (request.method === 'GET' && url.pathname === '/local/stack') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        prefix: LOCAL_STACK_PREFIX,
        region: deps.region,
        endpoints: {
          ...deps.endpoints,
          lambda: controlUrl(),
          cloudformation: `${controlUrl()}${CLOUDFORMATION_PATH}`,
        },
      }),
    );
    return true;
  }
  if (request.method === 'POST' && url.pathname.replace(/\/$/, '') === CLOUDFORMATION_PATH) {
    describeStacks(response, deps, new URLSearchParams(await body(request)));
    return true;
  }
  const invoke = INVOKE.exec(url.pathname);
  if (request.method !== 'POST' || invoke === null) return false;
  const name = decodeURIComponent(invoke[1] ?? '');
  if (name !== deps.outputs.schedulerFunction) {
    response
      .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
      .end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
    return true;
  }
  const text = await body(request);
  let event: { detail?: Record<string, unknown> };
  try {
    event = text === '' ? {} : (JSON.parse(text) as typeof event);
  } catch {
    response
      .writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InvalidRequestContentException',
      })
      .end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
    return true;
  }
  try {
    const result = await deps.invokeScheduler(event.detail ?? {});
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
  } catch (error) {
    response
      .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
      .end(functionError(error));
  }
  return true;
}
