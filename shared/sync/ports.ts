/**
 * What the sync engine needs from each system, in the engine's terms. The Salesforce adapter
 * speaks SOQL and sObject Collections through jsforce; the Intacct adapter speaks the XML API.
 * IDs: Salesforce record IDs on one side, the Intacct natural key (CUSTOMERID …) on the other.
 */
import type { SyncError } from '#shared/errors.ts';
import type { Values } from './mapping.ts';

export interface SideRecord {
  id: string;
  version?: string;
  values: Values;
  /** Intacct's RECORDNO (updates and deletes use it). */
  recordNo?: string;
  deleted?: boolean;
}

export type WriteOp =
  | { kind: 'create'; ref: string; values: Values; controlId: string }
  | { kind: 'update'; ref: string; id: string; recordNo?: string; values: Values; controlId: string };

export type WriteResult =
  | { ref: string; ok: true; id: string; recordNo?: string }
  | { ref: string; ok: false; error: SyncError };

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
