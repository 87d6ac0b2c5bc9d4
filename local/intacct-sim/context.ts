import type { SimStore } from './store.ts';

/** Company settings that change business rules. */
export interface SimSettings {
  /** Postings dated before this `MM/DD/YYYY` fail as a closed period; undefined = all open. */
  closedBefore?: string;
  /** Per entity ID, the `MM/DD/YYYY` its own period closes before (overrides closedBefore in that entity's sessions). */
  closedBeforeByEntity?: Record<string, string>;
  /**
   * Which documents the closed period refuses: 'posting' (default) = invoice-type documents and
   * AR/AP postings; 'all' = Sales Orders and quotes too. Whether real Intacct refuses a
   * non-posting Sales Order dated in a closed period is [unverified], so the simulator does either.
   */
  closedPeriodScope?: 'posting' | 'all';
  /** Dimension fields every transaction line must carry, e.g. ['DEPARTMENTID']. */
  requiredDimensions: string[];
  /**
   * Whether a stock movement also moves the item's WHENMODIFIED. Unverified for real companies
   * (reference §5.3), so the simulator can do either; default false, the case that needs polling
   * the quantities themselves.
   */
  stockTouchesItem?: boolean;
  /**
   * Whether applying a payment or a credit memo also moves the WHENMODIFIED of the invoice (and
   * of the credit memo). Unverified for real companies (reference §2.4), so the simulator can do
   * either; default false, the case where only the new ARPYMT and ARPYMTDETAIL rows show the change.
   */
  paymentTouchesInvoice?: boolean;
  /**
   * Whether paying a bill (APPYMT) moves the bill's WHENMODIFIED. Unverified like
   * paymentTouchesInvoice; default true, the case where a delta poll of APBILL by WHENMODIFIED
   * sees a bill become Paid.
   */
  paymentTouchesBill?: boolean;
  /**
   * How `query` tags an aggregate: 'prefixed' (default) `<SUM.AMOUNT>`, as the docs' count examples
   * show (`<COUNT.RECORDNO>`), or 'plain' `<AMOUNT>`, as the docs' sum example shows. Which one
   * Intacct really returns for sum/avg/min/max is [unverified].
   */
  aggregateTags?: 'prefixed' | 'plain';
  /**
   * GLDETAIL AMOUNT/TRX_AMOUNT sign: 'signed' (default) debit positive and credit negative, as a
   * third-party guide describes (reference quote-to-cash §4), or 'unsigned': always positive, the
   * side given by TR_TYPE (1 debit, -1 credit). Which one Intacct returns is [unverified];
   * DEBITAMOUNT/CREDITAMOUNT are positive either way.
   */
  glAmountSign?: 'signed' | 'unsigned';
  /** The company's time zone (IANA): audit timestamps are its wall-clock time. Default UTC. */
  timeZone?: string;
}

/** A readByQuery snapshot that readMore pages through. */
export interface ResultSet {
  object: string;
  rows: Record<string, unknown>[];
  position: number;
  pagesize: number;
  sessionKey: string;
}

/** Everything a function handler sees. */
export interface OpContext {
  store: SimStore;
  /** Entity of the session/login; '' = top level. */
  entityId: string;
  userId: string;
  /** USERINFO record number of the user, used for CREATEDBY/MODIFIEDBY. */
  userRecordNo: string;
  now: number;
  settings: SimSettings;
  /** Identifies the session (or login) for readMore-by-object. */
  sessionKey: string;
  resultSets: Map<string, ResultSet>;
  lastResultByObject: Map<string, string>;
  newResultId: () => string;
}
