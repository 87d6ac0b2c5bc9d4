import type { AddressInfo } from 'node:net';
import { createApBill } from './ap-bills.ts';
import { createApPayment } from './ap-payments.ts';
import { createArPayment } from './ar-payments.ts';
import type { OpContext, SimSettings } from './context.ts';
import { remainingLines, today } from './conversion.ts';
import { currenciesOf, type EntityCurrencies, setCurrencies } from './entities.ts';
import { businessError } from './errors.ts';
import { type SimFaultKind, type SimFaults, seededRandom } from './faults.ts';
import type { GatewayState, SimCredentials } from './gateway.ts';
import {
  type GlEntryInput,
  insertGlEntry,
  postRevRecEntry,
  type RevRecScheduleInput,
  seedRevRecSchedule,
  unpostRevRecEntry,
} from './ledger.ts';
import { createDisplayContact, prepareMasterData } from './master-data.ts';
import { objectDef } from './objects.ts';
import { userPurchaseDocument } from './purchasing.ts';
import { deleteRecord, insert, mergeFields, touch } from './records.ts';
import { createSalesDocument } from './sales-documents.ts';
import { type SeedName, seedDemo, seedEntities } from './seed.ts';
import { type GatewayExchange, type HttpCounters, type HttpKnobs, startHttp } from './server.ts';
import { SessionTable } from './sessions.ts';
import { moveStock, type StockChange } from './stock.ts';
import { intacctDate, type SimRecord, SimStore } from './store.ts';
import { userArAdjustment, userArInvoice } from './user-ar.ts';
import type { FieldMap } from './xml.ts';

export type { EntityCurrencies } from './entities.ts';
export type { SimFaultKind, SimFaults } from './faults.ts';
export type { GlEntryInput, RevRecScheduleInput } from './ledger.ts';
export type { SeedName } from './seed.ts';
export type { GatewayExchange } from './server.ts';
export type { StockChange } from './stock.ts';
export type { FieldMap } from './xml.ts';

/** Options of {@link startIntacctSimulator}; every one has a default. */
export interface IntacctSimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * 'demo' (default): two entities, customers, contacts, items, a vendor, a closed period.
   * 'entities': the demo's two entities only. 'empty': nothing.
   */
  seed?: SeedName;
  /** Delay added to every gateway request, in ms. Default 0. */
  latencyMs?: number;
  /** Requests in flight above this are answered 429 GW-0010. Default 0 (no cap). */
  concurrencyCap?: number;
  /** Fault injection; see {@link SimFaults}. */
  faults?: SimFaults;
  /** Seed of the fault PRNG, for reproducible runs. Default 1. */
  randomSeed?: number;
  /** Sliding session lifetime in ms. Default 2 h. */
  sessionTimeoutMs?: number;
  /** Postings dated before this `MM/DD/YYYY` fail. Default: demo seed = first day of last month; empty = none. */
  closedBefore?: string;
  /** Per entity, postings dated before this `MM/DD/YYYY` fail in that entity's sessions. Default none. */
  closedBeforeByEntity?: Record<string, string>;
  /** 'posting' (default): only invoice-type documents and AR/AP postings hit a closed period; 'all': Sales Orders too. */
  closedPeriodScope?: 'posting' | 'all';
  /** Dimensions every transaction line must carry (e.g. ['DEPARTMENTID']). Default none. */
  requiredDimensions?: string[];
  /** Path getAPISession hands out (clients must follow it). Default '/ia/xml/xmlgw.phtml'; try '/na1/ia/xml/xmlgw.phtml'. */
  sessionEndpointPath?: string;
  /** Credentials of the simulated company; defaults are fixed test values. */
  credentials?: Partial<SimCredentials>;
  /** The company's time zone (IANA, e.g. 'America/Los_Angeles'): WHENMODIFIED is its wall-clock time. Default UTC. */
  timeZone?: string;
  /** Whether applying a payment or credit moves the invoice's (and credit memo's) WHENMODIFIED. Default false. */
  paymentTouchesInvoice?: boolean;
  /** Whether paying a bill (APPYMT) moves the bill's WHENMODIFIED. Default true. */
  paymentTouchesBill?: boolean;
  /** `query` aggregate tags: 'prefixed' (default) `<SUM.AMOUNT>` or 'plain' `<AMOUNT>` ([unverified] which is real). */
  aggregateTags?: 'prefixed' | 'plain';
  /** GLDETAIL AMOUNT: 'signed' (default, debit positive) or 'unsigned' (TR_TYPE gives the side) ([unverified]). */
  glAmountSign?: 'signed' | 'unsigned';
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

/** The ready-line shape (DESIGN §7, `intacct` part) and the Intacct secret shape. */
export interface IntacctReadyInfo {
  endpoint: string;
  senderId: string;
  senderPassword: string;
  companyId: string;
  userId: string;
  userPassword: string;
}

/** Counters for tests and benchmarks. */
export interface IntacctSimulatorCounters {
  httpRequests: number;
  /** Requests that reached the gateway logic (not refused at the edge). */
  gatewayRequests: number;
  functions: number;
  /** API transactions as Intacct bills them (records written, query calls). */
  apiTransactions: number;
  byFunction: Record<string, number>;
  rateLimited: number;
  faultsInjected: Partial<Record<SimFaultKind, number>>;
  peakInFlight: number;
  /** Time requests spent in flight, summed (ms). */
  busyMs: number;
  sessions: number;
}

/** A running simulator. */
export interface IntacctSimulator {
  /** Full gateway URL, `http://127.0.0.1:PORT/ia/xml/xmlgw.phtml`. */
  endpoint: string;
  port: number;
  credentials: SimCredentials;
  /** `{ endpoint, senderId, senderPassword, companyId, userId, userPassword }` for the ready line. */
  readyInfo(): IntacctReadyInfo;
  /** Records of an object (all entities), fields as Intacct would return them plus RECORDNO. */
  records(object: string): FieldMap[];
  /** One record by natural ID or RECORDNO, or undefined. */
  record(object: string, key: string): FieldMap | undefined;
  /**
   * Creates a record as a user in the Intacct UI would (rules apply; no API transaction counted).
   * Master data takes the generic create's fields. ARPYMT takes the generic create's fields too
   * (PAYMENTMETHOD, RECEIPTDATE, CUSTOMERID, one of FINANCIALENTITY/UNDEPOSITEDACCOUNTNO/PRBATCH,
   * ARPYMTDETAILS.ARPYMTDETAIL with RECORDKEY, TRX_PAYMENTAMOUNT and for a credit memo
   * ADJUSTMENTKEY + TRX_ADJUSTMENTAMOUNT) and is applied, writing its ARPYMTDETAIL rows.
   * ARINVOICE (MODULEKEY '4.AR') takes CUSTOMERID, WHENCREATED, WHENPOSTED and WHENDUE
   * (MM/DD/YYYY; default today, WHENCREATED, WHENCREATED; a closed period refuses WHENPOSTED), RECORDID, DESCRIPTION, TERMNAME, EXTERNALID, CURRENCY, EXCHANGE_RATE,
   * and either ARINVOICEITEMS.ARINVOICEITEM lines ({ ACCOUNTNO?, AMOUNT, MEMO?, LOCATIONID?,
   * DEPARTMENTID?, ITEMID? }, amounts in CURRENCY) or one TOTALENTERED amount. ARADJUSTMENT takes
   * the same (INVOICENO instead of WHENDUE/TERMNAME; ARADJUSTMENTITEMS.ARADJUSTMENTITEM lines);
   * a negative total makes a credit memo. APBILL takes the generic create's fields (VENDORID,
   * WHENCREATED, WHENDUE, APBILLITEMS.APBILLITEM lines with ACCOUNTNO and TRX_AMOUNT; ACTION Draft).
   * APPYMT pays bills (PAYMENTMETHOD, FINANCIALENTITY, VENDORID, PAYMENTDATE,
   * APPYMTDETAILS.APPYMTDETAIL with RECORDKEY and TRX_PAYMENTAMOUNT): a bill paid in full becomes
   * Paid and its WHENMODIFIED moves (paymentTouchesBill). PODOCUMENT takes DOCPARID (default
   * 'Purchase Order'), VENDORID, WHENCREATED, WHENDUE, STATE, REFERENCENO, VENDORDOCNO, MESSAGE,
   * EXTERNALID, CURRENCY and PODOCUMENTENTRIES.podocumententry lines (ITEMID, QUANTITY, PRICE, MEMO).
   */
  userCreate(object: string, fields: FieldMap, options?: { entityId?: string }): FieldMap;
  /** Changes a record as a user would: WHENMODIFIED/MODIFIEDBY move forward. */
  userUpdate(object: string, key: string, fields: FieldMap): FieldMap;
  /** Deletes a record as a user would. */
  userDelete(object: string, key: string): void;
  /**
   * Converts every open quantity of a sales document (by DOCID) into a new document of `toType`
   * (default 'Sales Invoice'), dated today, as a user would in the UI; the source becomes
   * Converted. Returns the new SODOCUMENT: CREATEDFROM is `docId`, and an invoice-type one carries
   * its ARINVOICE's RECORDNO in PRRECORDKEY (MODULEKEY '8.SO').
   */
  userConvert(docId: string, toType?: string): FieldMap;
  /**
   * Puts GL detail lines in (amounts debit positive, credit negative, in base currency), as if
   * posted by the modules their MODULEKEY names; no API transaction is counted.
   */
  seedGlEntries(entries: GlEntryInput[], options?: { entityId?: string }): FieldMap[];
  /**
   * Puts a revenue recognition schedule in with its entries; entries marked `posted` are posted
   * at once (their GL lines written, no closed-period check). Returns the records.
   */
  seedRevRecSchedule(
    input: RevRecScheduleInput,
    options?: { entityId?: string },
  ): { schedule: FieldMap; entries: FieldMap[] };
  /**
   * Posts (or unposts) a schedule entry by RECORDNO as a user would: POSTED, the GL lines on its
   * POSTINGDATE and WHENMODIFIED change (no closed-period check, as for a late posting a user forces).
   */
  userPostRevRecEntry(recordNo: string, post?: boolean): FieldMap;
  /** Sets an entity's base currency and enabled transaction currencies ('' = the top level). */
  setEntityCurrencies(entityId: string, currencies: EntityCurrencies): void;
  /** An entity's base and enabled currencies ('' = the top level). */
  entityCurrencies(entityId: string): EntityCurrencies;
  /**
   * A stock movement (receipt, shipment, transfer leg, hold): adds the given amounts to the item's
   * quantities in one warehouse, creating its ITEMWAREHOUSEINFO row on first use. Moves that row's
   * WHENMODIFIED, and the item's only when the `stockTouchesItem` setting says so.
   */
  moveStock(itemId: string, warehouseId: string, change: StockChange): FieldMap;
  counters(): IntacctSimulatorCounters;
  /** Changes fault knobs at run time (merged into the current ones). */
  setFaults(faults: SimFaults): void;
  /** Queues scripted faults for the next requests. */
  injectFaults(...kinds: SimFaultKind[]): void;
  setLatency(ms: number): void;
  setConcurrencyCap(cap: number): void;
  /** Tells `listener` of every gateway answer as it goes out; undefined stops telling. */
  observe(listener: ((exchange: GatewayExchange) => void) | undefined): void;
  /** Sets company rules at run time. */
  setSettings(settings: Partial<SimSettings>): void;
  /** Ends every session now (clients must log in again). */
  expireSessions(): number;
  /** Closes the server. */
  stop(): Promise<void>;
}

const DEFAULT_CREDENTIALS: SimCredentials = {
  senderId: 'sim-sender',
  senderPassword: 'sim-sender-password',
  companyId: 'SIMCO',
  userId: 'sim-user',
  userPassword: 'sim-user-password',
};

/**
 * Starts an in-memory Sage Intacct XML gateway on 127.0.0.1: envelope validation, sender and
 * login/session authentication, generic and legacy functions over CUSTOMER, CONTACT, ITEM,
 * SODOCUMENT, ARINVOICE, ARPYMT (with ARPYMTDETAIL), ARADJUSTMENT, VENDOR, APBILL, APPYMT (with
 * APPYMTDETAIL), PODOCUMENT, GLDETAIL and REVRECSCHEDULE(ENTRY), `query` aggregates, paging, and
 * injectable faults.
 */
export async function startIntacctSimulator(
  options: IntacctSimulatorOptions = {},
): Promise<IntacctSimulator> {
  const now = options.now ?? Date.now;
  const credentials: SimCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const seed = options.seed ?? 'demo';
  const lastMonth = new Date(now());
  const closedDefault =
    seed === 'demo'
      ? intacctDate(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth() - 1, 1))
      : undefined;
  let baseUrl = '';
  const state: GatewayState = {
    credentials,
    authorizedSenders: new Set([credentials.senderId]),
    store: new SimStore(),
    sessions: new SessionTable(options.sessionTimeoutMs ?? 2 * 3600_000),
    settings: {
      closedBefore: options.closedBefore ?? closedDefault,
      ...(options.closedBeforeByEntity === undefined
        ? {}
        : { closedBeforeByEntity: options.closedBeforeByEntity }),
      ...(options.closedPeriodScope === undefined ? {} : { closedPeriodScope: options.closedPeriodScope }),
      requiredDimensions: options.requiredDimensions ?? [],
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.paymentTouchesInvoice === undefined
        ? {}
        : { paymentTouchesInvoice: options.paymentTouchesInvoice }),
      ...(options.paymentTouchesBill === undefined ? {} : { paymentTouchesBill: options.paymentTouchesBill }),
      ...(options.aggregateTags === undefined ? {} : { aggregateTags: options.aggregateTags }),
      ...(options.glAmountSign === undefined ? {} : { glAmountSign: options.glAmountSign }),
    },
    resultSets: new Map(),
    lastResultByObject: new Map(),
    counters: { requests: 0, functions: 0, apiTransactions: 0, byFunction: {} },
    now,
    baseUrl: () => baseUrl,
    sessionEndpointPath: options.sessionEndpointPath ?? '/ia/xml/xmlgw.phtml',
  };
  const ctxFor = (entityId: string): OpContext => ({
    store: state.store,
    entityId,
    userId: credentials.userId,
    userRecordNo: '1',
    now: now(),
    settings: state.settings,
    sessionKey: 'ui',
    resultSets: state.resultSets,
    lastResultByObject: state.lastResultByObject,
    newResultId: () => '',
  });
  if (seed === 'demo') seedDemo(ctxFor);
  else if (seed === 'entities') seedEntities(state.store);

  const knobs: HttpKnobs = {
    latencyMs: options.latencyMs ?? 0,
    concurrencyCap: options.concurrencyCap ?? 0,
    faults: { ...options.faults, next: [...(options.faults?.next ?? [])] },
    random: seededRandom(options.randomSeed ?? 1),
  };
  const http: HttpCounters = {
    httpRequests: 0,
    rateLimited: 0,
    faultsInjected: {},
    inFlight: 0,
    peakInFlight: 0,
    busyMs: 0,
  };
  const counters = (): IntacctSimulatorCounters => ({
    httpRequests: http.httpRequests,
    gatewayRequests: state.counters.requests,
    functions: state.counters.functions,
    apiTransactions: state.counters.apiTransactions,
    byFunction: { ...state.counters.byFunction },
    rateLimited: http.rateLimited,
    faultsInjected: { ...http.faultsInjected },
    peakInFlight: http.peakInFlight,
    busyMs: http.busyMs,
    sessions: state.sessions.size,
  });
  const server = await startHttp(state, knobs, http, options.port ?? 0, counters);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  const endpoint = `${baseUrl}/ia/xml/xmlgw.phtml`;

  const find = (object: string, key: string): SimRecord | undefined => {
    const def = objectDef(object);
    const name = def?.name ?? object.toUpperCase();
    return state.store
      .all(name)
      .find((r) => String(r.recordNo) === key || (def?.idField && r.fields[def.idField] === key));
  };
  const out = (r: SimRecord): FieldMap => structuredClone(r.fields);

  return {
    endpoint,
    port,
    credentials,
    readyInfo: () => ({ endpoint, ...credentials }),
    records: (object) => state.store.all(objectDef(object)?.name ?? object.toUpperCase()).map(out),
    record: (object, key) => {
      const r = find(object, key);
      return r ? out(r) : undefined;
    },
    userCreate: (object, fields, opts = {}) => {
      const def = objectDef(object);
      if (!def) throw new Error(`unknown object ${object}`);
      const ctx = ctxFor(opts.entityId ?? '');
      if (def.name === 'ARPYMT') return out(createArPayment(ctx, fields));
      if (def.name === 'ARINVOICE') return out(userArInvoice(ctx, fields));
      if (def.name === 'ARADJUSTMENT') return out(userArAdjustment(ctx, fields));
      if (def.name === 'APBILL') return out(createApBill(ctx, fields));
      if (def.name === 'APPYMT') return out(createApPayment(ctx, fields));
      if (def.name === 'PODOCUMENT') return out(userPurchaseDocument(ctx, fields));
      const prepared = def.genericCreate ? prepareMasterData(ctx, def, fields) : fields;
      if (def.name === 'CUSTOMER' || def.name === 'VENDOR') createDisplayContact(ctx, prepared);
      return out(insert(ctx, def.name, prepared));
    },
    userUpdate: (object, key, fields) => {
      const r = find(object, key);
      if (!r) throw businessError(`no ${object} with key ${key}`);
      mergeFields(r.fields, fields, []);
      touch(ctxFor(r.entity), r, false);
      return out(r);
    },
    moveStock: (itemId, warehouseId, change) => out(moveStock(ctxFor(''), itemId, warehouseId, change)),
    userDelete: (object, key) => {
      const r = find(object, key);
      if (r) deleteRecord(ctxFor(r.entity), r, 'ui');
    },
    userConvert: (docId, toType = 'Sales Invoice') => {
      const source = state.store.findBy('SODOCUMENT', 'DOCID', docId);
      if (!source) throw businessError(`no SODOCUMENT with DOCID ${docId}`);
      const ctx = ctxFor(source.entity);
      const doc = createSalesDocument(ctx, {
        type: toType,
        created: today(ctx),
        createdFrom: docId,
        customerId: String(source.fields.CUSTVENDID),
        currency: { currency: String(source.fields.CURRENCY) },
        lines: remainingLines(source),
      });
      return out(doc);
    },
    seedGlEntries: (entries, opts = {}) => {
      const ctx = ctxFor(opts.entityId ?? '');
      return entries.map((e) => out(insertGlEntry(ctx, e)));
    },
    seedRevRecSchedule: (input, opts = {}) => {
      const { schedule, entries } = seedRevRecSchedule(ctxFor(opts.entityId ?? ''), input);
      return { schedule: out(schedule), entries: entries.map(out) };
    },
    userPostRevRecEntry: (recordNo, post = true) => {
      const entry = state.store.get('REVRECSCHEDULEENTRY', Number(recordNo));
      if (!entry) throw businessError(`no REVRECSCHEDULEENTRY with RECORDNO ${recordNo}`);
      const ctx = ctxFor(entry.entity);
      return out(post ? postRevRecEntry(ctx, entry, { checkPeriod: false }) : unpostRevRecEntry(ctx, entry));
    },
    setEntityCurrencies: (entityId, currencies) => setCurrencies(state.store, entityId, currencies),
    entityCurrencies: (entityId) => {
      const c = currenciesOf(state.store, entityId);
      if (!c) throw new Error(`unknown entity ${entityId}`);
      return structuredClone(c);
    },
    counters,
    setFaults: (faults) => {
      Object.assign(knobs.faults, faults);
    },
    injectFaults: (...kinds) => {
      knobs.faults.next = [...(knobs.faults.next ?? []), ...kinds];
    },
    setLatency: (ms) => {
      knobs.latencyMs = ms;
    },
    setConcurrencyCap: (cap) => {
      knobs.concurrencyCap = cap;
    },
    observe: (listener) => {
      knobs.observer = listener;
    },
    setSettings: (settings) => {
      Object.assign(state.settings, settings);
    },
    expireSessions: () => state.sessions.expireAll(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
