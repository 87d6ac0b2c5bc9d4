/**
 * Named value transforms for field maps (DESIGN §4). Each has a direction towards Intacct and
 * towards Salesforce, and both produce a canonical string, so a value that round-trips hashes the
 * same on both sides (this is what makes echo detection exact). Values are strings or null.
 */
export type Value = string | null;

export interface Transform {
  /** A Salesforce value → the canonical Intacct value. */
  toIntacct(value: Value): Value;
  /** An Intacct value → the canonical Salesforce value. */
  toSalesforce(value: Value): Value;
  /** A Salesforce value in its own canonical form (for diffs and hashes on that side). */
  salesforce(value: Value): Value;
  /** An Intacct value in its own canonical form. */
  intacct(value: Value): Value;
}

const same = (fn: (v: string) => Value): Transform => {
  const apply = (v: Value) => (v === null ? null : fn(v));
  return { toIntacct: apply, toSalesforce: apply, salesforce: apply, intacct: apply };
};

const blankToNull = (v: Value): Value => (v === null || v.trim() === '' ? null : v.trim());

/** "50000.0" and "50000" are one number; canonical form has no trailing zeros. */
function canonicalNumber(v: string): Value {
  const trimmed = v.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? String(n) : trimmed;
}

function canonicalBoolean(v: string): Value {
  const t = v.trim().toLowerCase();
  if (t === '') return null;
  return t === 'true' || t === '1' || t === 'yes' || t === 'y' ? 'true' : 'false';
}

/** Salesforce dates are YYYY-MM-DD; Intacct's are MM/DD/YYYY. */
const dateTransform: Transform = {
  salesforce: blankToNull,
  intacct: blankToNull,
  toIntacct: (v) => {
    const m = v === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    return m === null ? (v === null || v.trim() === '' ? null : v) : `${m[2]}/${m[3]}/${m[1]}`;
  },
  toSalesforce: (v) => {
    const m = v === null ? null : /^(\d{2})\/(\d{2})\/(\d{4})/.exec(v);
    return m === null ? (v === null || v.trim() === '' ? null : v) : `${m[3]}-${m[1]}-${m[2]}`;
  },
};

/** Intacct STATUS active/inactive ⇄ a Salesforce checkbox such as IsActive. */
const activeFlag: Transform = {
  salesforce: (v) => (v === null ? null : canonicalBoolean(v)),
  intacct: (v) => (v === null || v.trim() === '' ? null : v.trim().toLowerCase()),
  toIntacct: (v) => (v === null ? null : canonicalBoolean(v) === 'true' ? 'active' : 'inactive'),
  toSalesforce: (v) => (v === null ? null : v.trim().toLowerCase() === 'active' ? 'true' : 'false'),
};

function negate(v: Value): Value {
  const n = v === null ? null : canonicalNumber(v);
  return n === null || !Number.isFinite(Number(n)) ? n : String(-Number(n) + 0);
}

export const TRANSFORMS = {
  /** Trims, and treats an empty string as null (Salesforce omits nulls; Intacct sends empty elements). */
  text: same((v) => (v.trim() === '' ? null : v.trim())),
  upper: same((v) => (v.trim() === '' ? null : v.trim().toUpperCase())),
  lower: same((v) => (v.trim() === '' ? null : v.trim().toLowerCase())),
  number: same(canonicalNumber),
  boolean: same(canonicalBoolean),
  date: dateTransform,
  /** A number with its sign turned (a credit memo's negative total shown as a positive amount). */
  negated: {
    ...same(canonicalNumber),
    toSalesforce: (v) => negate(v),
    toIntacct: (v) => negate(v),
  },
  activeFlag,
} satisfies Record<string, Transform>;

export type TransformName = keyof typeof TRANSFORMS;
export const TRANSFORM_NAMES = Object.keys(TRANSFORMS) as [TransformName, ...TransformName[]];
