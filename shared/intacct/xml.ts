import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** A value the request builder can serialize: text, nested elements, repeated elements, or nothing. */
export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlValue[];
/** Element children in insertion order; keys starting with `@_` are attributes. */
export interface XmlObject {
  [name: string]: XmlValue;
}

/** Element paths (dotted, as fast-xml-parser reports them) that repeat in gateway responses. */
const REPEATED_PATHS = new Set([
  'response.errormessage.error',
  'response.operation.errormessage.error',
  'response.operation.result',
  'response.operation.result.errormessage.error',
]);

/**
 * The one parser for Intacct gateway responses: IDs and amounts stay strings (no `0012` → 12),
 * every repeatable element is an array, and rows under `<data>` are always arrays whether one or
 * many came back. DOCTYPE bodies never reach it (see {@link looksLikeXml}), so no entity expansion.
 */
export function createResponseParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    isArray: (_name, jpath) => {
      const path = String(jpath);
      if (REPEATED_PATHS.has(path)) return true;
      // every row of a <data> block, whatever the object
      return /^response\.operation\.result\.data\.[^.]+$/.test(path);
    },
  });
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

/** Serializes an element tree; every text and attribute value is escaped by the builder. */
export function buildXml(tree: XmlObject): string {
  return builder.build(normalize(tree) as XmlObject);
}

/** Booleans and numbers become their literal text; undefined children are dropped, null → empty element. */
function normalize(value: XmlValue): unknown {
  if (value === null) return '';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(normalize);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

/** True when a body is an XML document without a DOCTYPE (HTML error pages and DTD tricks are not). */
export function looksLikeXml(body: string): boolean {
  const head = body.trimStart().slice(0, 512);
  if (!head.startsWith('<')) return false;
  if (/<!DOCTYPE|<!ENTITY|<html[\s>]/i.test(head)) return false;
  return true;
}

/** Text of a parsed element, whether it came back as plain text or as an object with attributes. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '#text' in value)
    return String((value as Record<string, unknown>)['#text']);
  if (typeof value === 'object') return '';
  return undefined;
}

/** Normalizes "one element or several" into an array. */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Formats a JS date as `MM/DD/YYYY` (the generic functions' input form). */
export function formatDate(date: Date): string {
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${mm}/${dd}/${date.getUTCFullYear()}`;
}

/** Formats a JS date as `MM/DD/YYYY HH:MM:SS` (timestamps in queries and WHENMODIFIED windows). */
export function formatTimestamp(date: Date): string {
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mi = String(date.getUTCMinutes()).padStart(2, '0');
  const ss = String(date.getUTCSeconds()).padStart(2, '0');
  return `${formatDate(date)} ${hh}:${mi}:${ss}`;
}
