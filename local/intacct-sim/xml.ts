import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** An element of a parsed request, children kept in document order (the gateway validates order). */
export interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/** Raised for bodies the gateway refuses before looking at them (malformed XML, DTDs). */
export class XmlRejectedError extends Error {}

/**
 * Parses a request body into an ordered tree. DOCTYPE/ENTITY declarations are refused outright:
 * the gateway never expands entities, and neither does the simulator.
 */
export function parseRequestXml(body: string): XNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(body))
    throw new XmlRejectedError('DOCTYPE and entity declarations are not allowed');
  let raw: unknown[];
  try {
    raw = parser.parse(body, true) as unknown[];
  } catch (error) {
    throw new XmlRejectedError(`XML Parse error: ${(error as Error).message}`);
  }
  const roots = toNodes(raw);
  const root = roots[0];
  if (!root || roots.length !== 1) throw new XmlRejectedError('XML Parse error: expected one root element');
  return root;
}

function toNodes(list: unknown[]): XNode[] {
  const nodes: XNode[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const entry = item as Record<string, unknown>;
    const name = Object.keys(entry).find((k) => k !== ':@' && k !== '#text' && !k.startsWith('?'));
    if (!name) continue;
    const childrenRaw = (entry[name] as unknown[]) ?? [];
    const attrs = (entry[':@'] as Record<string, string> | undefined) ?? {};
    const text = childrenRaw
      .filter((c) => c && typeof c === 'object' && '#text' in (c as object))
      .map((c) => String((c as Record<string, unknown>)['#text']))
      .join('');
    nodes.push({ name, attrs: { ...attrs }, children: toNodes(childrenRaw), text });
  }
  return nodes;
}

/** First child of that name. */
export const child = (node: XNode | undefined, name: string): XNode | undefined =>
  node?.children.find((c) => c.name === name);
/** All children of that name. */
export const childrenNamed = (node: XNode | undefined, name: string): XNode[] =>
  node?.children.filter((c) => c.name === name) ?? [];
/** Text of a child, or undefined when absent. */
export const childText = (node: XNode | undefined, name: string): string | undefined =>
  child(node, name)?.text;

/** A record field: text, a nested block (DISPLAYCONTACT), or a list of line rows. */
export type Field = string | FieldMap | FieldMap[];
/** The fields of a record or sub-record. */
export interface FieldMap {
  [name: string]: Field;
}

/** Turns a generic create/update payload element into fields (nested blocks become maps, repeats lists). */
export function nodeToFields(node: XNode): FieldMap {
  const out: FieldMap = {};
  for (const c of node.children) {
    const value: Field = c.children.length ? nodeToFields(c) : c.text;
    const prev = out[c.name];
    if (prev === undefined) out[c.name] = value;
    else if (Array.isArray(prev)) prev.push(value as FieldMap);
    else out[c.name] = [prev as FieldMap, value as FieldMap];
  }
  return out;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

/** Serializes a response tree (plain objects, `@_` attributes); the builder escapes all text. */
export function renderXml(tree: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(tree)}`;
}
