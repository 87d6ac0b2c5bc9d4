/**
 * The console's JSON API over an OpsContext: the same operations as `sfi status`, `failures`,
 * `redrive`, `replay`, `failures resolve`, `pause` and `resume`, so the page and the CLI can never
 * disagree about a stack. Each answer is a status code and a JSON body; a refused argument is a
 * 4xx with the error's code, message and hint (the page shows them as they are).
 */
import { redrive } from '#shared/aws/redrive.ts';
import { SyncError, ValidationError } from '#shared/errors.ts';
import type { OpsContext, OpsStores } from '../context.ts';
import { type FailureFilter, listFailures, resolveFailure } from '../failure-query.ts';
import { replay } from '../on-demand.ts';
import { pauseFlow, resumeFlow } from '../operate.ts';
import { opsStatus } from '../ops-status.ts';
import { redriveSelector } from '../redrive-select.ts';

export interface ApiAnswer {
  status: number;
  body: unknown;
}

const ACTIVITY_DEFAULT = 50;
const ACTIVITY_MAX = 200;

/** A string field of the body, or undefined when absent or empty. */
function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new ValidationError(`"${name}" must be a string`, { code: 'BAD_REQUEST', hint: 'send it as text' });
  return value;
}

function required(body: Record<string, unknown>, name: string, what: string): string {
  const value = field(body, name);
  if (value === undefined)
    throw new ValidationError(`give "${name}": ${what}`, { code: 'BAD_REQUEST', hint: `add "${name}"` });
  return value;
}

function failureFilter(query: URLSearchParams): FailureFilter {
  const state = query.get('state') ?? 'open';
  if (state !== 'open' && state !== 'resolved' && state !== 'all') {
    throw new ValidationError(`state must be open, resolved or all, got "${state}"`, {
      code: 'BAD_REQUEST',
      hint: 'leave it out for the open failures',
    });
  }
  const optional = (name: string) => {
    const value = query.get(name);
    return value === null || value === '' ? {} : { [name]: value };
  };
  return { state, ...optional('flow'), ...optional('class'), ...optional('code') };
}

function activityLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  const limit = raw === null ? ACTIVITY_DEFAULT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > ACTIVITY_MAX) {
    throw new ValidationError(`limit must be 1..${ACTIVITY_MAX}`, {
      code: 'BAD_REQUEST',
      hint: 'leave it out',
    });
  }
  return limit;
}

/** The errors an operation throws, as the answer the page shows. */
export function errorAnswer(error: unknown): ApiAnswer {
  if (error instanceof SyncError) {
    const status = error.code === 'FAILURE_NOT_FOUND' ? 404 : error.retryable ? 503 : 400;
    return { status, body: { error: error.code, message: error.message, hint: error.hint } };
  }
  // The operator's own tool on loopback: AWS's words help more than a bare "internal error".
  return {
    status: 500,
    body: {
      error: 'INTERNAL',
      message: (error as Error).message,
      hint: 'see the terminal the console runs in; check the AWS credentials and the stack',
    },
  };
}

export function consoleApi(context: OpsContext, stores: OpsStores) {
  const flows = context.config.flows.map((f) => f.name);
  const routes: Record<string, (query: URLSearchParams, body: Record<string, unknown>) => Promise<unknown>> =
    {
      'GET /api/status': () => opsStatus(context, stores),
      'GET /api/failures': async (query) => ({
        failures: await listFailures(stores.ledger, flows, failureFilter(query)),
      }),
      'GET /api/activity': async (query) => ({
        activity: await stores.ledger.recentAudit(activityLimit(query)),
      }),
      'POST /api/redrive': async (_query, body) => {
        const filter = { flow: field(body, 'flow'), code: field(body, 'code'), id: field(body, 'id') };
        const select = redriveSelector(stores.ledger, flows, filter);
        const result = await redrive({
          sqs: context.sqs,
          dlqUrl: context.outputs.deadLetterQueueUrl,
          jobsUrl: context.outputs.jobsQueueUrl,
          ...(select === undefined ? {} : { select }),
          dryRun: body.dryRun === true,
        });
        return {
          moved: result.moved,
          picked: result.picked,
          scanned: result.scanned,
          dryRun: body.dryRun === true,
        };
      },
      'POST /api/replay': (_query, body) => {
        const source = required(body, 'source', 'salesforce or intacct');
        if (source !== 'salesforce' && source !== 'intacct') {
          throw new ValidationError(`source must be salesforce or intacct, got "${source}"`, {
            code: 'BAD_REQUEST',
            hint: 'the system the record ID is from',
          });
        }
        return replay(
          context,
          required(body, 'flow', 'the flow'),
          source,
          required(body, 'id', 'the record ID'),
        );
      },
      'POST /api/failures/resolve': async (_query, body) => ({
        resolved: await resolveFailure(
          stores.ledger,
          flows,
          required(body, 'recordId', 'the record ID the failure lists'),
          field(body, 'flow'),
        ),
      }),
      'POST /api/pause': async (_query, body) => ({
        paused: await pauseFlow(stores.operate, required(body, 'flow', 'the flow to pause')),
      }),
      'POST /api/resume': (_query, body) =>
        resumeFlow(stores.operate, required(body, 'flow', 'the flow to resume')),
    };

  /** Answers one API request; undefined when no route matches. */
  return async (method: string, url: URL, body: Record<string, unknown>): Promise<ApiAnswer | undefined> => {
    const route = routes[`${method} ${url.pathname}`];
    if (route === undefined) return undefined;
    try {
      const answer = await route(url.searchParams, body);
      return { status: method === 'POST' && url.pathname === '/api/replay' ? 202 : 200, body: answer };
    } catch (error) {
      return errorAnswer(error);
    }
  };
}

export const API_ROUTES = [
  'GET /api/status',
  'GET /api/failures?state=open|resolved|all&flow=&class=&code=',
  'GET /api/activity?limit=',
  'POST /api/redrive {flow?, code?, id?, dryRun?}',
  'POST /api/replay {flow, source, id}',
  'POST /api/failures/resolve {flow?, recordId}',
  'POST /api/pause {flow}',
  'POST /api/resume {flow}',
];
