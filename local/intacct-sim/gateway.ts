import { randomBytes } from 'node:crypto';
import type { OpContext, ResultSet, SimSettings } from './context.ts';
import { type SimErrorDetail, SimFunctionError, SimPartialFailure, SimSchemaError } from './errors.ts';
import { WRITE_HANDLERS } from './generic.ts';
import type { Handler, HandlerResult } from './handler.ts';
import { LEGACY_HANDLERS } from './legacy.ts';
import { READ_HANDLERS } from './reads.ts';
import { CONTROL, LEGACY_SCHEMAS, LOGIN, validateSequence } from './schemas.ts';
import { PAYABLES_SCHEMAS } from './schemas-payables.ts';
import { isoWithOffset, type SessionTable, type SimSession } from './sessions.ts';
import type { SimStore } from './store.ts';
import {
  child,
  childrenNamed,
  childText,
  parseRequestXml,
  renderXml,
  XmlRejectedError,
  type XNode,
} from './xml.ts';

/** The company's login and sender credentials. */
export interface SimCredentials {
  senderId: string;
  senderPassword: string;
  companyId: string;
  userId: string;
  userPassword: string;
}

/** Shared state the gateway works on. */
export interface GatewayState {
  credentials: SimCredentials;
  /** Sender IDs authorized in the company (Web Services authorizations). */
  authorizedSenders: Set<string>;
  store: SimStore;
  sessions: SessionTable;
  settings: SimSettings;
  resultSets: Map<string, ResultSet>;
  lastResultByObject: Map<string, string>;
  counters: {
    requests: number;
    functions: number;
    apiTransactions: number;
    byFunction: Record<string, number>;
  };
  now: () => number;
  /** Base URL (scheme, host, port) for endpoints returned by getAPISession. */
  baseUrl: () => string;
  /** Path getAPISession hands out; clients must follow it. */
  sessionEndpointPath: string;
}

const HANDLERS: Record<string, Handler> = {
  ...WRITE_HANDLERS,
  ...READ_HANDLERS,
  ...LEGACY_HANDLERS,
};
const GENERIC = new Set([...Object.keys(WRITE_HANDLERS), ...Object.keys(READ_HANDLERS), 'getAPISession']);
const XL_ABORTED: SimErrorDetail = {
  errorno: 'XL03000009',
  description: '',
  description2: 'The entire transaction in this operation has been rolled back due to an error.',
  correction: '',
};

const errorXml = (errors: SimErrorDetail[]) => ({ error: errors.map((e) => ({ ...e })) });

/** A control-level failure; gateway-style ones (malformed body) carry no senderid/controlid. */
function controlFailure(errors: SimErrorDetail[], control?: XNode): string {
  const echo = control
    ? {
        senderid: childText(control, 'senderid'),
        controlid: childText(control, 'controlid'),
        uniqueid: childText(control, 'uniqueid') ?? 'false',
        dtdversion: childText(control, 'dtdversion') ?? '3.0',
      }
    : {};
  return renderXml({ response: { control: { status: 'failure', ...echo }, errormessage: errorXml(errors) } });
}

const schemaError = (message: string, control?: XNode) =>
  controlFailure(
    [{ errorno: 'XL03000003', description: 'XML Parse schema error', description2: message, correction: '' }],
    control,
  );

/**
 * Processes one gateway request body (POSTed to `path`) and returns the response XML. Order:
 * parse and schema checks (XL03000003), sender (XL03000006), authentication, then functions in
 * order, with transaction rollback and uniqueid replay protection.
 */
export function handleGatewayRequest(state: GatewayState, body: string, path: string): string {
  state.counters.requests += 1;
  state.store.dropIndexes();
  let root: XNode;
  try {
    root = parseRequestXml(body);
  } catch (error) {
    if (error instanceof XmlRejectedError) return schemaError(error.message);
    throw error;
  }
  if (root.name !== 'request') return schemaError(`root element must be <request>, got <${root.name}>`);
  const control = child(root, 'control');
  const operations = childrenNamed(root, 'operation');
  try {
    if (!control || root.children[0]?.name !== 'control')
      throw new SimSchemaError('<control> must come first');
    validateSequence(control, CONTROL, 'request/control');
    if (operations.length !== 1 || root.children.length !== 2)
      throw new SimSchemaError('exactly one <operation> must follow <control>');
    const dtd = childText(control, 'dtdversion') ?? '3.0';
    if (dtd !== '3.0' && dtd !== '2.1') throw new SimSchemaError(`unsupported dtdversion ${dtd}`);
    validateOperation(operations[0] as XNode, dtd);
  } catch (error) {
    if (error instanceof SimSchemaError) return schemaError(error.message, control);
    throw error;
  }
  const c = state.credentials;
  if (childText(control, 'senderid') !== c.senderId || childText(control, 'password') !== c.senderPassword) {
    return controlFailure(
      [
        {
          errorno: 'XL03000006',
          description: 'Incorrect Intacct XML Partner ID or password.',
          description2: '',
          correction: '',
        },
      ],
      control,
    );
  }
  return runOperation(state, control as XNode, operations[0] as XNode, path);
}

function validateOperation(op: XNode, dtd: string): void {
  const auth = child(op, 'authentication');
  const content = child(op, 'content');
  if (!auth || !content) throw new SimSchemaError('operation needs <authentication> and <content>');
  const names = op.children.map((c) => c.name).filter((n) => n !== 'preferences');
  if (names.join(',') !== 'authentication,content')
    throw new SimSchemaError('operation children must be authentication, [preferences], content');
  const mode = auth.children[0];
  if (auth.children.length !== 1 || !mode || !['login', 'sessionid'].includes(mode.name)) {
    throw new SimSchemaError('authentication takes exactly one of <login> or <sessionid>');
  }
  if (mode.name === 'login') validateSequence(mode, LOGIN, 'authentication/login');
  const functions = content.children;
  if (functions.length === 0 || functions.some((f) => f.name !== 'function'))
    throw new SimSchemaError('content takes one or more <function> elements');
  for (const f of functions) {
    const id = f.attrs.controlid;
    if (!id || id.length > 256)
      throw new SimSchemaError('function needs a controlid attribute of 1 to 256 characters');
    const el = f.children[0];
    if (f.children.length !== 1 || !el)
      throw new SimSchemaError('function wraps exactly one function element');
    if (!HANDLERS[el.name] && el.name !== 'getAPISession')
      throw new SimSchemaError(`Element '${el.name}' is not a known function`);
    if (GENERIC.has(el.name) && dtd !== '3.0') throw new SimSchemaError(`${el.name} requires dtdversion 3.0`);
    const schema = LEGACY_SCHEMAS[el.name] ?? PAYABLES_SCHEMAS[el.name];
    if (schema) validateSequence(el, schema, el.name);
  }
}

function authFailure(control: XNode, description2: string, description = ''): string {
  return renderXml({
    response: {
      control: controlEcho(control),
      operation: {
        authentication: { status: 'failure', userid: '', companyid: '' },
        errormessage: errorXml([{ errorno: 'XL03000006', description, description2, correction: '' }]),
      },
    },
  });
}

function controlEcho(control: XNode) {
  return {
    status: 'success',
    senderid: childText(control, 'senderid'),
    controlid: childText(control, 'controlid'),
    uniqueid: childText(control, 'uniqueid') ?? 'true',
    dtdversion: childText(control, 'dtdversion') ?? '3.0',
  };
}

function runOperation(state: GatewayState, control: XNode, op: XNode, path: string): string {
  const now = state.now();
  const c = state.credentials;
  const authNode = child(op, 'authentication')?.children[0] as XNode;
  let session: SimSession | undefined;
  let entityId = '';
  if (authNode.name === 'sessionid') {
    session = state.sessions.use(authNode.text, path, now);
    if (!session)
      return authFailure(
        control,
        'Invalid session. The session has expired or is not valid for this endpoint.',
      );
    entityId = session.entityId;
  } else {
    const companyId = (childText(authNode, 'companyid') ?? '').split('|')[0];
    if (
      childText(authNode, 'userid') !== c.userId ||
      companyId !== c.companyId ||
      childText(authNode, 'password') !== c.userPassword
    ) {
      return authFailure(control, 'Sign-in information is incorrect');
    }
    entityId = childText(authNode, 'locationid') ?? '';
    if (entityId && !state.store.entities.some((e) => e.id === entityId)) {
      return authFailure(
        control,
        `Invalid entity '${entityId}': the location ID is not an entity of this company.`,
      );
    }
  }
  if (!state.authorizedSenders.has(childText(control, 'senderid') ?? '')) {
    return authFailure(
      control,
      `The sender ID '${childText(control, 'senderid')}' is not authorized to make Web Services requests to company ID '${c.companyId}'.`,
      'Invalid Web Services Authorization',
    );
  }
  const uniqueId = childText(control, 'uniqueid') !== 'false';
  const transaction = op.attrs.transaction === 'true';
  const functions = (child(op, 'content') as XNode).children;
  const sessionKey = session ? `session:${session.id}` : `login:${c.companyId}|${entityId}`;
  const ctx: OpContext = {
    store: state.store,
    entityId,
    userId: c.userId,
    userRecordNo: '1',
    now,
    settings: state.settings,
    sessionKey,
    resultSets: state.resultSets,
    lastResultByObject: state.lastResultByObject,
    newResultId: () => `${String(now).slice(-10)}${randomBytes(12).toString('base64url')}@AAAA`,
  };
  const snapshot = transaction ? state.store.snapshot() : undefined;
  const outcomes: Array<{ fn: XNode; result?: HandlerResult; error?: SimFunctionError }> = [];
  let failed = false;
  for (const f of functions) {
    const el = f.children[0] as XNode;
    if (failed && transaction) {
      outcomes.push({ fn: f });
      continue;
    }
    const idKey = `${c.companyId}|${f.attrs.controlid}`;
    try {
      if (uniqueId && state.store.executedControlIds.has(idKey)) {
        throw new SimFunctionError([
          {
            errorno: 'XL03000004',
            description: '',
            description2: `A function with control ID '${f.attrs.controlid}' was already executed. With uniqueid=true a control ID runs only once.`,
            correction: 'Use a new control ID for a new operation, or set uniqueid to false.',
          },
        ]);
      }
      state.counters.functions += 1;
      state.counters.byFunction[el.name] = (state.counters.byFunction[el.name] ?? 0) + 1;
      const result =
        el.name === 'getAPISession'
          ? apiSession(state, el, ctx, authNode, session, path, now)
          : (HANDLERS[el.name] as Handler)(el, ctx);
      if (uniqueId) state.store.executedControlIds.add(idKey);
      outcomes.push({ fn: f, result });
    } catch (error) {
      if (!(error instanceof SimFunctionError)) throw error;
      outcomes.push({ fn: f, error });
      failed = true;
    }
  }
  if (snapshot && failed) state.store.restore(snapshot);
  const results = outcomes.map(({ fn, result, error }) => {
    const el = fn.children[0] as XNode;
    const base = { function: el.name, controlid: fn.attrs.controlid };
    if (transaction && failed) {
      if (error) return { status: 'failure', ...base, errormessage: errorXml([...error.errors, XL_ABORTED]) };
      return { status: 'aborted', ...base, errormessage: errorXml([XL_ABORTED]) };
    }
    if (error) {
      if (error instanceof SimPartialFailure) {
        state.counters.apiTransactions += error.transactions;
        return { status: 'failure', ...base, data: error.data, errormessage: errorXml(error.errors) };
      }
      const data =
        el.name === 'create' || el.name === 'update'
          ? { data: { '@_listtype': 'objects', '@_count': '0' } }
          : {};
      return { status: 'failure', ...base, ...data, errormessage: errorXml(error.errors) };
    }
    state.counters.apiTransactions += result?.transactions ?? 0;
    return {
      status: 'success',
      ...base,
      ...(result?.key === undefined ? {} : { key: result.key }),
      ...(result?.data ? { data: result.data } : {}),
    };
  });
  const timeout = session?.expiresAt ?? now + state.sessions.timeoutMs;
  return renderXml({
    response: {
      control: controlEcho(control),
      operation: {
        authentication: {
          status: 'success',
          userid: c.userId,
          companyid: c.companyId,
          locationid: entityId,
          sessiontimestamp: isoWithOffset(now),
          sessiontimeout: isoWithOffset(timeout),
        },
        result: results,
      },
    },
  });
}

function apiSession(
  state: GatewayState,
  el: XNode,
  ctx: OpContext,
  authNode: XNode,
  session: SimSession | undefined,
  _path: string,
  now: number,
): HandlerResult {
  const requested = child(el, 'locationid');
  const entityId = requested ? requested.text : ctx.entityId;
  if (entityId && !state.store.entities.some((e) => e.id === entityId)) {
    throw new SimFunctionError([
      { errorno: 'XL03000006', description: '', description2: `Invalid entity '${entityId}'.` },
    ]);
  }
  const userId = session?.userId ?? childText(authNode, 'userid') ?? '';
  const opened = state.sessions.open(
    state.credentials.companyId,
    userId,
    entityId,
    state.sessionEndpointPath,
    now,
  );
  return {
    data: {
      api: {
        sessionid: opened.id,
        endpoint: `${state.baseUrl()}${state.sessionEndpointPath}`,
        locationid: entityId,
      },
    },
    transactions: 0,
  };
}
