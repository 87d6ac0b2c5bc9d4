import { compareValues, type FieldReader } from './compare.ts';
import type { OpContext } from './context.ts';
import { businessError, SimFunctionError } from './errors.ts';
import type { Handler } from './handler.ts';
import { OBJECTS, type ObjectDef, objectDef } from './objects.ts';
import { aggregateRows } from './query-aggregate.ts';
import { compileFilter } from './query-filter.ts';
import { narrowFilter } from './query-narrow.ts';
import { compileQuery } from './query-string.ts';
import { findVisible, fullRow, knownField, readField, visible, visibleAmong } from './records.ts';
import { getPath, type SimRecord } from './store.ts';
import { child, childrenNamed, childText, type FieldMap } from './xml.ts';

function requireObject(name: string | undefined): ObjectDef {
  const def = name ? objectDef(name) : undefined;
  if (!def) {
    throw new SimFunctionError([
      { errorno: 'Query Failed', description: '', description2: `Object definition ${name ?? ''} not found` },
    ]);
  }
  return def;
}

/** Projects a record onto a `fields` list (`*` = everything, nested blocks stay nested). */
function project(ctx: OpContext, def: ObjectDef, record: SimRecord, fields: string): FieldMap {
  if (fields.trim() === '' || fields.trim() === '*') return fullRow(record);
  const out: FieldMap = {};
  for (const f of fields
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!knownField(ctx, def.name, f)) {
      // Intacct reports this one with the message in errorno
      throw new SimFunctionError([
        { errorno: `Invalid fields list ${f}`, description: '', description2: '' },
      ]);
    }
    const nested = getPath(record.fields, f);
    out[f] = nested ?? readField(ctx, record, f) ?? '';
  }
  return out;
}

function reader(ctx: OpContext, def: ObjectDef, record: SimRecord): FieldReader {
  return (field) => {
    const value = readField(ctx, record, field);
    const code = value === undefined ? undefined : def.codes?.[field]?.[value];
    return { value, code };
  };
}

function readHandler(byName: boolean): Handler {
  return (fn, ctx) => {
    const def = requireObject(childText(fn, 'object'));
    const keys = (childText(fn, 'keys') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    if (byName && !def.idField) throw businessError(`${def.name} has no name field for readByName.`);
    // by the store's key or ID index; the synthesized entity list has neither
    const find = (k: string) =>
      def.name === 'LOCATIONENTITY'
        ? visible(ctx, def.name).find((r) =>
            byName ? r.fields[def.idField ?? ''] === k : String(r.recordNo) === k,
          )
        : findVisible(ctx, def.name, byName ? { id: k } : { recordNo: k });
    const rows = keys
      .map(find)
      .filter((r): r is SimRecord => r !== undefined)
      .map((r) => project(ctx, def, r, childText(fn, 'fields') ?? '*'));
    return {
      data: { '@_listtype': def.name, '@_count': String(rows.length), [def.name]: rows },
      transactions: 1,
    };
  };
}

function pageData(
  _ctx: OpContext,
  object: string,
  rows: Record<string, unknown>[],
  start: number,
  pagesize: number,
  resultId: string,
) {
  const page = rows.slice(start, start + pagesize);
  const remaining = Math.max(0, rows.length - start - page.length);
  return {
    '@_listtype': object.toLowerCase(),
    '@_count': String(page.length),
    '@_totalcount': String(rows.length),
    '@_numremaining': String(remaining),
    '@_resultId': remaining > 0 ? resultId : '',
    [object.toLowerCase()]: page,
  };
}

const readByQuery: Handler = (fn, ctx) => {
  const def = requireObject(childText(fn, 'object'));
  const pagesize = Number(childText(fn, 'pagesize') ?? 100);
  if (!Number.isInteger(pagesize) || pagesize < 1 || pagesize > 1000) {
    throw businessError(`pagesize must be between 1 and 1000, got ${childText(fn, 'pagesize')}`);
  }
  const predicate = compileQuery(childText(fn, 'query') ?? '');
  const docparid = childText(fn, 'docparid');
  const rows = visible(ctx, def.name)
    .filter((r) => !docparid || r.fields.DOCPARID === docparid)
    .filter((r) => predicate(reader(ctx, def, r)))
    .map((r) => project(ctx, def, r, childText(fn, 'fields') ?? '*'));
  const resultId = ctx.newResultId();
  if (rows.length > pagesize) {
    ctx.resultSets.set(resultId, {
      object: def.name,
      rows,
      position: pagesize,
      pagesize,
      sessionKey: ctx.sessionKey,
    });
    ctx.lastResultByObject.set(`${ctx.sessionKey}|${def.name}`, resultId);
  }
  return { data: pageData(ctx, def.name, rows, 0, pagesize, resultId), transactions: 1 };
};

const readMore: Handler = (fn, ctx) => {
  const object = childText(fn, 'object');
  const resultId =
    childText(fn, 'resultId') ??
    (object ? ctx.lastResultByObject.get(`${ctx.sessionKey}|${object.toUpperCase()}`) : undefined);
  const set = resultId ? ctx.resultSets.get(resultId) : undefined;
  if (!resultId || !set || set.sessionKey !== ctx.sessionKey) {
    throw businessError(`Invalid or expired resultId '${resultId ?? ''}'.`, 'Run readByQuery again.');
  }
  const data = pageData(ctx, set.object, set.rows, set.position, set.pagesize, resultId);
  set.position += set.pagesize;
  if (set.position >= set.rows.length) ctx.resultSets.delete(resultId);
  return { data, transactions: 1 };
};

const query: Handler = (fn, ctx) => {
  const def = requireObject(childText(fn, 'object'));
  const select = child(fn, 'select');
  const fields = childrenNamed(select, 'field').map((f) => f.text);
  const aggregates = (select?.children ?? []).filter((c) => c.name !== 'field');
  if (fields.length === 0 && aggregates.length === 0) throw businessError('query needs a select list.');
  for (const f of [...fields, ...aggregates.map((a) => a.text)]) {
    if (f === '*' || !knownField(ctx, def.name, f))
      throw businessError(`Invalid field '${f}' in select for ${def.name}.`);
  }
  const options = child(fn, 'options');
  const ci = childText(options, 'caseinsensitive') === 'true';
  const showPrivate = childText(options, 'showprivate') === 'true';
  const pagesize = Number(childText(fn, 'pagesize') ?? 100);
  const offset = Number(childText(fn, 'offset') ?? 0);
  if (!Number.isInteger(pagesize) || pagesize < 1 || pagesize > 2000)
    throw businessError('pagesize must be between 1 and 2000.');
  if (!Number.isInteger(offset) || offset < 0) throw businessError('offset must be 0 or more.');
  const predicate = compileFilter(child(fn, 'filter'), ci);
  const docparid = childText(fn, 'docparid');
  const narrowed = narrowFilter(ctx.store, def.name, child(fn, 'filter'));
  let records = (narrowed ? visibleAmong(ctx, narrowed, showPrivate) : visible(ctx, def.name, showPrivate))
    .filter((r) => !docparid || r.fields.DOCPARID === docparid)
    .filter((r) => predicate(reader(ctx, def, r)));
  const orders = childrenNamed(child(fn, 'orderby'), 'order');
  if (aggregates.length) {
    const groups = aggregateRows(ctx, records, fields, aggregates, orders, ci);
    const page = groups.slice(offset, offset + pagesize);
    return {
      data: {
        '@_listtype': def.name,
        '@_totalcount': String(groups.length),
        '@_offset': String(offset),
        '@_count': String(page.length),
        '@_numremaining': String(Math.max(0, groups.length - offset - page.length)),
        [def.name]: page,
      },
      transactions: 1,
    };
  }
  if (orders.length) {
    records = [...records].sort((a, b) => {
      for (const o of orders) {
        const f = childText(o, 'field') ?? 'RECORDNO';
        const c = compareValues(readField(ctx, a, f) ?? '', readField(ctx, b, f) ?? '', ci);
        if (c !== 0) return child(o, 'descending') ? -c : c;
      }
      return 0;
    });
  }
  const page = records.slice(offset, offset + pagesize).map((r) => {
    // dotted select fields come back as flat tags such as <DISPLAYCONTACT.EMAIL1>
    const row: Record<string, string> = {};
    for (const f of fields) row[f] = readField(ctx, r, f) ?? '';
    return row;
  });
  return {
    data: {
      '@_listtype': def.name,
      '@_totalcount': String(records.length),
      '@_offset': String(offset),
      '@_count': String(page.length),
      '@_numremaining': String(Math.max(0, records.length - offset - page.length)),
      [def.name]: page,
    },
    transactions: 1,
  };
};

const lookup: Handler = (fn) => {
  const def = requireObject(childText(fn, 'object'));
  const field = (id: string) => ({
    ID: id,
    LABEL: id,
    DESCRIPTION: id,
    REQUIRED: String(def.required.includes(id)),
    READONLY: String(def.readOnly.includes(id) || ['RECORDNO', 'WHENCREATED', 'WHENMODIFIED'].includes(id)),
    DATATYPE: /^WHEN|DATE/.test(id) ? 'TIMESTAMP' : /TOTAL|AMOUNT|LIMIT|PRICE/.test(id) ? 'DECIMAL' : 'TEXT',
    ...(def.codes?.[id] ? { VALIDVALUES: { VALIDVALUE: Object.keys(def.codes[id] ?? {}) } } : {}),
    ISCUSTOM: 'false',
  });
  const relationships = Object.entries(def.relations ?? {}).map(([path, rel]) => ({
    OBJECTPATH: path,
    OBJECTNAME: rel.object,
    RELATIONSHIPTYPE: 'MANY2ONE',
    RELATEDBY: rel.localField,
  }));
  return {
    data: {
      '@_listtype': def.name,
      '@_count': '1',
      Type: {
        '@_Name': def.name,
        '@_DocumentType': childText(fn, 'docparid') ?? '',
        Fields: { Field: def.fields.map(field) },
        Relationships: { Relationship: relationships },
      },
    },
    transactions: 1,
  };
};

const inspect: Handler = (fn) => {
  const object = childText(fn, 'object') ?? childText(fn, 'name') ?? '*';
  if (object === '*') {
    const types = Object.values(OBJECTS).map((d) => ({ '@_typename': d.name, '#text': d.label }));
    return { data: { '@_listtype': 'All', '@_count': String(types.length), type: types }, transactions: 1 };
  }
  const def = requireObject(object);
  const detail = fn.attrs.detail === '1';
  const fields = def.fields.map((f) =>
    detail
      ? {
          Name: f,
          isRequired: String(def.required.includes(f)),
          isReadOnly: String(def.readOnly.includes(f)),
        }
      : f,
  );
  return {
    data: { '@_listtype': def.name, '@_count': '1', Type: { '@_Name': def.name, Fields: { Field: fields } } },
    transactions: 1,
  };
};

/** Read-only generic functions. */
export const READ_HANDLERS: Record<string, Handler> = {
  read: readHandler(false),
  readByName: readHandler(true),
  readByQuery,
  readMore,
  query,
  lookup,
  inspect,
};
