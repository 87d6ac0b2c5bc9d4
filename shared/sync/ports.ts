/**
 * The ports of the sync kernel (DESIGN §5): what it needs from each system, in its own terms, and
 * from the crosswalk. The Salesforce adapter speaks SOQL and sObject Collections through jsforce;
 * the Intacct adapter speaks the XML API; the crosswalk adapter speaks DynamoDB.
 * IDs: Salesforce record IDs on one side, the Intacct natural key (CUSTOMERID …) on the other.
 */
import type { SyncError } from '#shared/errors.ts';
import type { Values } from './mapping.ts';

export type { Ledger } from '#shared/aws/ledger.ts';

export interface SideRecord {
  id: string;
  version?: string;
  values: Values;
  /** Intacct's RECORDNO (updates and deletes use it). */
  recordNo?: string;
  deleted?: boolean;
}

export type WriteOp =
  | {
      kind: 'create';
      ref: string;
      values: Values;
      controlId: string;
      /** Salesforce: create as an upsert on this external-ID field (its value is in `values`). */
      upsertOn?: string;
    }
  | { kind: 'update'; ref: string; id: string; recordNo?: string; values: Values; controlId: string };

export type WriteResult =
  | { ref: string; ok: true; id: string; recordNo?: string }
  /** `duplicate`: the target already has a record with the key this create gave (Intacct BL34000061). */
  | { ref: string; ok: false; error: SyncError; duplicate?: boolean };

export interface SystemPort {
  /** Reads records by ID (missing IDs are absent from the map; deleted ones have `deleted`). */
  read(object: string, fields: readonly string[], ids: readonly string[]): Promise<Map<string, SideRecord>>;
  /** Records whose `field` equals one of `values` (match keys before a create). */
  findBy(
    object: string,
    fields: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<SideRecord[]>;
  /** Writes in as few calls as the API allows; one result per op, in any order. */
  write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]>;
}

/** One linked pair of a flow, with what was last agreed in each direction. */
export interface Link {
  flow: string;
  salesforceId: string;
  intacctKey: string;
  /** Revision of the stored link: every write names the revision it read (conditional write). */
  rev?: number;
  intacctRecordNo?: string;
  salesforceVersion?: string;
  intacctVersion?: string;
  /** Hash of the Intacct payload last agreed (what Salesforce's values map to). */
  hashToIntacct?: string;
  /** Hash of the Salesforce payload last agreed (what Intacct's values map to). */
  hashToSalesforce?: string;
  /** The latest audit entry: what was written, when and why. */
  lastAction: string;
  lastAt: string;
  lastReason: string;
  lastCorrelationId?: string;
  /** When the sync last wrote to each side (ISO, our clock). */
  intacctWrittenAt?: string;
  salesforceWrittenAt?: string;
  /**
   * When the Intacct key was last written back to Salesforce. Not a Salesforce write stamp: it
   * changes no mapped field, so snapshots taken around it are not stale and need no re-read.
   */
  keyWrittenBackAt?: string;
  /** What the last write sent, and to which side. */
  lastWritten?: { to: 'salesforce' | 'intacct'; values: Record<string, string | null> };
  inactive?: boolean;
  /** An alert flow's state on its record (DESIGN §4 `alert`). */
  alert?: AlertState;
}

/**
 * The condition a record is in, since when, how many transitions it has had, and the action the
 * latest transition into a bad state owes (one Task per transition: claimed, found, or created).
 */
export interface AlertState {
  state: string;
  /** The state before the latest transition. */
  previous?: string;
  since: string;
  /** The state last written to the Salesforce status field. */
  statusWritten?: string;
  transitions: number;
  /** The figures the state was decided on (shown in the Task). */
  figures?: Record<string, string | null>;
  task?: { key: string; status: 'pending' | 'created'; id?: string };
}

/** A link to store, and the link it replaces as it was read (`undefined`: there was none). */
export interface LinkWrite {
  link: Link;
  expected: Link | undefined;
  /**
   * The key's pointer was claimed for this link (`claimKey`): no second pointer write, and a new
   * link is written without a condition (in batches): every new link is claimed first, so while
   * the claim holds nobody else can write it.
   */
  keyClaimed?: boolean;
  /**
   * `false`: the link is only ever read by its Salesforce ID (a projection's state on the record
   * another flow links), so no pointer by Intacct key is kept: one conditional put per write.
   */
  pointer?: boolean;
}

export type LinkWriteResult =
  | { ok: true; link: Link }
  /** Someone else wrote first: `current` is what is stored now (re-plan from it). */
  | { ok: false; reason: 'conflict'; current: Link | undefined }
  /** The Intacct key is linked to another Salesforce record. */
  | { ok: false; reason: 'key-taken'; other: Link };

export interface Crosswalk {
  bySalesforceIds(flow: string, ids: readonly string[]): Promise<Map<string, Link>>;
  /** Links by Intacct key; a pointer whose link no longer carries that key is not an answer. */
  byIntacctKeys(flow: string, keys: readonly string[]): Promise<Map<string, Link>>;
  /** Conditional writes, one result per entry in order: none overwrites a link it did not read. */
  write(entries: readonly LinkWrite[]): Promise<LinkWriteResult[]>;
  /** Every link of a flow (a table scan: the reconciliation's, not the sync's). */
  linksOf(flow: string): AsyncGenerator<Link>;
  /** Deletes a link (and its pointer) if it is still the revision given. */
  remove(link: Link): Promise<boolean>;
  /**
   * Claims a one-time action (a create) for `owner` until `ttlSeconds` from now. Answers whether
   * `owner` holds it; a claim of another owner that has not expired is respected.
   */
  claim(flow: string, key: string, owner: string, ttlSeconds: number): Promise<ClaimResult>;
  /** Gives up a claim of `owner` (its create surely did not happen), so the next job need not wait. */
  release(flow: string, key: ClaimKey, owner: string): Promise<void>;
  /**
   * Claims an Intacct key for a Salesforce record before the create that gives it that key: the
   * key's pointer names the record and `owner` until the link is written (then the pointer stays).
   * Refused while another owner's claim is live, or when the key is linked to another record.
   */
  claimKey(
    flow: string,
    intacctKey: string,
    salesforceId: string,
    owner: string,
    ttlSeconds: number,
    /** The link revision the create follows (0: no link yet); a claim of another generation is void. */
    generation?: number,
  ): Promise<KeyClaimResult>;
}

export type ClaimResult = { held: true } | { held: false; until: string };
export type KeyClaimResult = ClaimResult | { held: false; other: Link };

/**
 * What is claimed: an Intacct key's pointer for one Salesforce record (before a create towards
 * Intacct, or before a new link by match), or a claim item (a create towards Salesforce).
 */
export type ClaimKey = { pointer: string; salesforceId: string } | { item: string };
