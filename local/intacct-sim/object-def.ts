/** What the simulator knows about an object type. */
export interface ObjectDef {
  name: string;
  label: string;
  /** Natural ID field (readByName keys, duplicate check); undefined when there is none. */
  idField?: string;
  /** Dotted paths that a generic create must carry. */
  required: string[];
  /** Generic create/update/delete allowed (otherwise only legacy functions write it). */
  genericCreate: boolean;
  /** Server-maintained fields a write cannot set. */
  readOnly: string[];
  /** Documented fields, for lookup/inspect and select validation (records may carry more). */
  fields: string[];
  /** Stored codes readByQuery filters on, by field: display value → code. */
  codes?: Record<string, Record<string, string>>;
  /** Many-to-one relations usable in dotted query fields: name → (object, local field, remote field). */
  relations?: Record<string, { object: string; localField: string; remoteField: string }>;
}

/** Audit fields every object carries. */
export const AUDIT = [
  'RECORDNO',
  'WHENCREATED',
  'WHENMODIFIED',
  'CREATEDBY',
  'MODIFIEDBY',
  'MEGAENTITYKEY',
  'MEGAENTITYID',
  'MEGAENTITYNAME',
];
/** Display value → stored code of STATUS and of boolean flags (readByQuery filters on codes). */
export const STATUS_CODES = { active: 'T', inactive: 'F' };
export const BOOL_CODES = { true: 'T', false: 'F' };
