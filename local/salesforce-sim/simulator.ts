import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.ts';
import { loadVerificationKey } from './auth/jwt-verify.ts';
import { TokenRegistry } from './auth/tokens.ts';
import type { ApiUsage, OrgConfig, SimContext } from './context.ts';
import { initialFaults, type SimulatorFaults } from './faults.ts';
import { sendApiError } from './http.ts';
import { IdFactory } from './ids.ts';
import { DEFAULT_RULES, type OutboundRule } from './outbound/rules.ts';
import { type OutboundOptions, OutboundSender, type OutboundStats } from './outbound/sender.ts';
import { handleData } from './routes/data-router.ts';
import { handleIdentity, handleOAuth } from './routes/oauth.ts';
import { QueryCursors } from './routes/query.ts';
import { SchemaRegistry } from './schema/registry.ts';
import { seedDemo, seedEmpty } from './seed.ts';
import { RecordStore } from './store.ts';
import type { SObjectRecord } from './validate.ts';

/** Options of {@link startSalesforceSimulator}; every one has a working default. */
export type SalesforceSimulatorOptions = {
  /** Port of the login host (OAuth, identity). 0 (default) picks a free port. */
  port?: number;
  /** Port of the instance host (REST API). Default: `port + 1`, or a free port when `port` is 0. */
  instancePort?: number;
  /** `demo` (default) seeds accounts, contacts, products, price books and opportunities. */
  seed?: 'demo' | 'empty';
  /** Delay before every response, in ms (also settable later with `setFaults`). */
  latencyMs?: number;
  /** Where outbound messages go; can be set later with `setOutboundEndpoint`. */
  outboundEndpoint?: string;
  /** Shorthand for `outbound.timeScale`: simulated ms per real ms for OM retries and retention. */
  timeScale?: number;
  outbound?: OutboundOptions;
  /** Outbound-message rules; default: any Account/Contact change, Opportunity becoming won. */
  outboundRules?: OutboundRule[];
  faults?: SimulatorFaults;
  /** Override the org's credentials (defaults are fixed, so local config can name them). */
  credentials?: Partial<Omit<OrgConfig, 'jwtKey' | 'userId'>>;
  /** PEM public key or X.509 certificate JWT assertions must be signed for. Default: a generated key pair. */
  jwtPublicKey?: string;
};

/** The `salesforce` part of the ready line (DESIGN §7). */
export type SalesforceReadyInfo = {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  orgId: string;
};

/** A running simulator: connection details, inspection, direct data changes, fault knobs. */
export type SalesforceSimulator = {
  readyInfo(): SalesforceReadyInfo;
  /** PEM private key matching the JWT verification key, when the simulator generated the pair. */
  readonly jwtPrivateKey: string | undefined;
  /** Live records of an object (with `includeDeleted`, Recycle Bin rows too), as stored. */
  records(object: string, options?: { includeDeleted?: boolean }): SObjectRecord[];
  record(object: string, id: string): SObjectRecord | undefined;
  /** API calls counted so far (total, per route, DML requests) and the daily limit. */
  apiUsage(): {
    total: number;
    limit: number;
    dml: number;
    byRoute: Record<string, number>;
    tokensIssued: number;
  };
  /** Changes made as a human user in Salesforce: validated, audited, and firing outbound rules. */
  asUser: {
    create(object: string, fields: Record<string, unknown>): string;
    update(object: string, id: string, fields: Record<string, unknown>): void;
    delete(object: string, id: string): void;
    /** Restores a deleted record from the Recycle Bin. */
    undelete(object: string, id: string): void;
    /** Empties a deleted record from the Recycle Bin (hard delete). */
    purge(object: string, id: string): void;
  };
  /** The users the org has: the API integration user and a human admin. */
  users: { integrationUserId: string; adminUserId: string };
  setOutboundEndpoint(url: string | undefined): void;
  outbound: {
    stats(): OutboundStats;
    pendingIds(): string[];
    /** True once the outbox is empty (everything acked or dropped); false after `timeoutMs`. */
    waitForDrain(timeoutMs?: number): Promise<boolean>;
    configure(options: Pick<OutboundOptions, 'duplicateRate' | 'reorder'>): void;
  };
  /** Merges fault knobs into the current ones; counters such as `failNext.count` re-arm. */
  setFaults(faults: SimulatorFaults): void;
  /** Invalidates every access token issued so far (clients get 401 INVALID_SESSION_ID). */
  expireTokens(): void;
  /** A refresh token for the integration user, to exercise the refresh_token grant. */
  issueRefreshToken(): string;
  stop(): Promise<void>;
};

const DEFAULT_CREDENTIALS = {
  orgId: '00D000000000001AAA',
  clientId: '3MVG9sim.local.salesforce.intacct.sync',
  clientSecret: 'sim-client-secret',
  username: 'integration@sim.example.com',
  password: 'sim-password',
  securityToken: 'SIMTOKEN',
};

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a Salesforce simulator on 127.0.0.1 that jsforce talks to unchanged: OAuth (password,
 * client credentials, JWT bearer, refresh token), identity, REST query/queryMore/queryAll, sObject
 * CRUD and upsert, collections, describe, limits, getUpdated/getDeleted, faults, and an
 * outbound-message sender. Two listeners: the login host and the instance host.
 */
export async function startSalesforceSimulator(
  options: SalesforceSimulatorOptions = {},
): Promise<SalesforceSimulator> {
  const creds = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  let jwtPrivateKey: string | undefined;
  let jwtPublicKey = options.jwtPublicKey;
  if (!jwtPublicKey) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    jwtPrivateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    jwtPublicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
  const now = () => Date.now();
  const ids = new IdFactory();
  const store = new RecordStore(new SchemaRegistry(), ids, now);
  const seeded =
    options.seed === 'empty' ? seedEmpty(store, creds.username) : seedDemo(store, creds.username);
  const users = { integrationUserId: seeded.integrationUserId, adminUserId: seeded.adminUserId };
  const org: OrgConfig = {
    ...creds,
    userId: users.integrationUserId,
    jwtKey: loadVerificationKey(jwtPublicKey),
  };
  const usage: ApiUsage = { used: 0, max: 15_000, byRoute: new Map(), dml: 0 };
  const tokens = new TokenRegistry(org.orgId, now);
  const faults = initialFaults();
  let loginUrl = '';
  let instanceUrl = '';
  const ctx: SimContext = {
    org,
    store,
    tokens,
    faults,
    usage,
    now,
    loginUrl: () => loginUrl,
    instanceUrl: () => instanceUrl,
  };
  const cursors = new QueryCursors(ids);

  const setFaults = (f: SimulatorFaults) => {
    if (f.latencyMs !== undefined) faults.latencyMs = f.latencyMs;
    if (f.failNext)
      faults.failNext = {
        count: f.failNext.count,
        status: f.failNext.status ?? 503,
        html: f.failNext.html ?? false,
      };
    if (f.lockRowOnDml) faults.lockRowOnDml = new Set(f.lockRowOnDml);
    if (f.readOnlyFields) faults.readOnlyFields = new Set(f.readOnlyFields.map((n) => n.toLowerCase()));
    if (f.concurrentLimitNext !== undefined) faults.concurrentLimitNext = f.concurrentLimitNext;
    if (f.dailyApiLimit !== undefined) usage.max = f.dailyApiLimit;
    if ('tokenTtlMs' in f) tokens.ttlMs = f.tokenTtlMs;
    if (f.rejectAllTokens !== undefined) tokens.rejectAll = f.rejectAllTokens;
    if (f.errorRate !== undefined) faults.errorRate = f.errorRate;
  };
  setFaults({
    ...options.faults,
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });

  const sender = new OutboundSender(
    {
      store,
      ids,
      header: () => ({
        orgId: org.orgId,
        enterpriseUrl: `${instanceUrl}/services/Soap/c/62.0/${org.orgId.slice(0, 15)}`,
        partnerUrl: `${instanceUrl}/services/Soap/u/62.0/${org.orgId.slice(0, 15)}`,
      }),
      issueSessionId: () => tokens.issue(org.userId, org.clientId).token,
    },
    options.outboundRules ?? DEFAULT_RULES,
    { ...options.outbound, ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }) },
    options.outboundEndpoint,
  );

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (req.method === 'POST' && /^\/services\/oauth2\/(token|revoke)\/?$/.test(url.pathname)) {
        await handleOAuth(ctx, req, res, url.pathname.replace(/\/$/, ''));
      } else if (req.method === 'GET' && url.pathname.startsWith('/id/')) {
        handleIdentity(ctx, req, res, url);
      } else if (url.pathname.startsWith('/services/data')) {
        await handleData(ctx, cursors, req, res, url);
      } else {
        sendApiError(res, new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist'));
      }
    } catch (error) {
      if (error instanceof ApiError) sendApiError(res, error);
      else
        sendApiError(
          res,
          new ApiError(500, 'UNKNOWN_EXCEPTION', `simulator error: ${(error as Error).message}`),
        );
    }
  };
  const loginServer = createServer((req, res) => void handler(req, res));
  const instanceServer = createServer((req, res) => void handler(req, res));
  const port = options.port ?? 0;
  loginUrl = `http://127.0.0.1:${await listen(loginServer, port)}`;
  instanceUrl = `http://127.0.0.1:${await listen(instanceServer, options.instancePort ?? (port === 0 ? 0 : port + 1))}`;

  const close = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });

  return {
    readyInfo: () => ({
      loginUrl,
      instanceUrl,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      username: org.username,
      password: org.password,
      orgId: org.orgId,
    }),
    jwtPrivateKey,
    records: (object, o) => store.list(object, o?.includeDeleted ?? false).map((r) => ({ ...r })),
    record: (object, id) => {
      const r = store.get(object, id, true);
      return r && { ...r };
    },
    apiUsage: () => ({
      total: usage.used,
      limit: usage.max,
      dml: usage.dml,
      byRoute: Object.fromEntries(usage.byRoute),
      tokensIssued: tokens.issued,
    }),
    asUser: {
      create: (object, fields) => String(store.create(object, fields, users.adminUserId).Id),
      update: (object, id, fields) => void store.update(object, id, fields, users.adminUserId),
      delete: (object, id) => void store.delete(object, id, users.adminUserId),
      undelete: (object, id) => void store.undelete(object, id, users.adminUserId),
      purge: (object, id) => store.purge(object, id),
    },
    users,
    setOutboundEndpoint: (url) => sender.setEndpoint(url),
    outbound: {
      stats: () => ({ ...sender.stats }),
      pendingIds: () => sender.pendingIds(),
      waitForDrain: (timeoutMs) => sender.waitForDrain(timeoutMs),
      configure: (o) => sender.configure(o),
    },
    setFaults,
    expireTokens: () => tokens.expireAll(),
    issueRefreshToken: () => tokens.issueRefreshToken(org.userId, org.clientId),
    stop: async () => {
      sender.stop();
      await Promise.all([close(loginServer), close(instanceServer)]);
    },
  };
}
