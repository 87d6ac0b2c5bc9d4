/**
 * The line objects of bills and purchasing documents, queryable on their own: APBILLITEM (a bill's
 * lines, RECORDKEY = the bill's RECORDNO) and PODOCUMENTENTRY (a purchasing document's lines,
 * DOCHDRNO = its RECORDNO, DOCHDRID = its DOCID). Both exist in Intacct's object list; the field
 * names follow the lines the headers carry (reference §5.8) [unverified beyond those]. They are
 * derived from the headers' stored lines at read time, so a header's delete takes its lines along
 * and there is no second copy to keep in step.
 */
import { AUDIT, type ObjectDef } from './object-def.ts';
import type { SimRecord } from './store.ts';
import type { FieldMap } from './xml.ts';

export const LINE_OBJECTS: Record<string, ObjectDef> = {
  APBILLITEM: {
    name: 'APBILLITEM',
    label: 'AP Bill Detail',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'RECORDKEY',
      'LINE_NO',
      'ACCOUNTNO',
      'AMOUNT',
      'TRX_AMOUNT',
      'ENTRYDESCRIPTION',
      'LOCATIONID',
      'DEPARTMENTID',
      'ITEMID',
      'PROJECTID',
      'CUSTOMERID',
      'CLASSID',
      ...AUDIT,
    ],
  },
  PODOCUMENTENTRY: {
    name: 'PODOCUMENTENTRY',
    label: 'Purchasing Transaction Detail',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'DOCHDRNO',
      'DOCHDRID',
      'LINE_NO',
      'ITEMID',
      'ITEMDESC',
      'QUANTITY',
      'UNIT',
      'PRICE',
      'TRX_PRICE',
      'UIPRICE',
      'VALUE',
      'TRX_VALUE',
      'UIVALUE',
      'MEMO',
      'LOCATIONID',
      'DEPARTMENTID',
      ...AUDIT,
    ],
  },
};

/** Where each line object's rows are stored on its header. */
const SOURCES: Record<string, { header: string; block: string; row: string }> = {
  APBILLITEM: { header: 'APBILL', block: 'APBILLITEMS', row: 'apbillitem' },
  PODOCUMENTENTRY: { header: 'PODOCUMENT', block: 'PODOCUMENTENTRIES', row: 'podocumententry' },
};

export const isLineObject = (object: string): boolean => object in SOURCES;

/**
 * The line records of `object` in the given headers (already filtered to what the caller may
 * see), in RECORDNO order; each carries its header's entity and audit stamps.
 */
export function lineRecords(object: string, headers: (header: string) => SimRecord[]): SimRecord[] {
  const source = SOURCES[object];
  if (source === undefined) return [];
  const out: SimRecord[] = [];
  for (const header of headers(source.header)) {
    const block = header.fields[source.block];
    const raw = block && typeof block === 'object' && !Array.isArray(block) ? block[source.row] : undefined;
    const rows = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
    for (const row of rows as FieldMap[]) {
      const fields: FieldMap = { ...row };
      // A line keeps its own RECORDNO; the other audit fields are its header's.
      for (const f of AUDIT) if (f !== 'RECORDNO') fields[f] = header.fields[f] ?? '';
      out.push({ object, recordNo: Number(row.RECORDNO), entity: header.entity, fields });
    }
  }
  return out.sort((a, b) => a.recordNo - b.recordNo);
}
