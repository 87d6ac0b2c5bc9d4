import { isLineObject } from './line-objects.ts';
import { objectDef } from './objects.ts';
import type { SimRecord, SimStore } from './store.ts';
import { childrenNamed, childText, type XNode } from './xml.ts';

/**
 * The records a `query` `<filter>` can only match among, by the store's field index, or undefined
 * when its shape allows none (the caller scans). Only a condition every match must meet narrows:
 * an `equalto` or `in` on a plain field (no relation, no display/stored codes), alone or AND-ed at
 * the top. The result is a superset of the matches (any entity, RECORDNO order): the caller still
 * applies visibility and the whole compiled filter, so the answer is exactly the scan's.
 */
export function narrowFilter(
  store: SimStore,
  object: string,
  filter: XNode | undefined,
): SimRecord[] | undefined {
  const [top] = filter?.children ?? [];
  // Entities and line objects are derived at read time, not stored: nothing of theirs is indexed.
  if (
    top === undefined ||
    filter?.children.length !== 1 ||
    object === 'LOCATIONENTITY' ||
    isLineObject(object)
  )
    return undefined;
  const codes = objectDef(object)?.codes ?? {};
  for (const node of andParts(top)) {
    const field = childText(node, 'field');
    if (!field || field.includes('.') || codes[field] !== undefined) continue;
    const values = childrenNamed(node, 'value').map((v) => v.text);
    // the compiled filter compares equalto with its first value ('' when none)
    const wanted = node.name === 'equalto' ? [values[0] ?? ''] : node.name === 'in' ? values : undefined;
    if (wanted === undefined) continue;
    const found = new Map<number, SimRecord>();
    for (const value of wanted)
      for (const r of store.candidates(object, field, value)) found.set(r.recordNo, r);
    return [...found.values()].sort((a, b) => a.recordNo - b.recordNo);
  }
  return undefined;
}

function andParts(node: XNode): XNode[] {
  return node.name === 'and' ? node.children.flatMap(andParts) : [node];
}
