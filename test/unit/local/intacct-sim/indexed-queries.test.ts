/**
 * The store's field index must change no answer: on companies built by random inserts (several
 * entities, RECORDNOs out of order), edits, deletes and rolled-back transactions, a `query` whose
 * filter the index narrows returns exactly what the scan returns. The scan is the same condition
 * OR-ed with itself, a shape no index takes. read/readByName and findBy are checked against scans.
 */

import { describe, expect, test } from 'vitest';
import { seededRandom } from '#local/common/seeded-random.ts';
import type { OpContext } from '#local/intacct-sim/context.ts';
import { READ_HANDLERS } from '#local/intacct-sim/reads.ts';
import { deleteRecord, insert, mergeFields, touch, visible } from '#local/intacct-sim/records.ts';
import { SimStore } from '#local/intacct-sim/store.ts';
import { parseRequestXml } from '#local/intacct-sim/xml.ts';

// values that are equal as numbers, as dates or case-blind, but not as text
const IDS = ['C-1', 'c-1', 'C-2', '12', '0012', '12.0', '01/02/2024', '2024-01-02', 'x', ''];
const ENTITIES = ['', 'E1', 'E2'];

function context(store: SimStore, entityId: string, now: number): OpContext {
  let n = 0;
  return {
    store,
    entityId,
    userId: 'u',
    userRecordNo: '1',
    now,
    settings: { requiredDimensions: [] },
    sessionKey: 's',
    resultSets: new Map(),
    lastResultByObject: new Map(),
    newResultId: () => `r${n++}`,
  };
}

function company(random: () => number) {
  const store = new SimStore();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let i = 0;
  /** One random write; the index, once built, must follow it. */
  const step = () => {
    i++;
    now += 1000;
    const ctx = context(store, pick(ENTITIES), now);
    const live = store.all('CUSTOMER');
    const r = random();
    if (r < 0.45 || live.length === 0)
      insert(ctx, 'CUSTOMER', { CUSTOMERID: pick(IDS), NAME: `N${i % 7}`, STATUS: 'active' });
    else if (r < 0.5) {
      // a record put below the highest RECORDNO: the object's Map is no longer in RECORDNO order
      const recordNo = 1 + Math.floor(random() * 5000);
      if (!store.get('CUSTOMER', recordNo))
        store.put({
          object: 'CUSTOMER',
          recordNo,
          entity: pick(ENTITIES),
          fields: { RECORDNO: String(recordNo), CUSTOMERID: pick(IDS) },
        });
    } else if (r < 0.75) {
      const rec = pick(live);
      mergeFields(rec.fields, { CUSTOMERID: pick(IDS), NAME: `N${i % 5}` }, []);
      touch(ctx, rec, false);
    } else if (r < 0.85) deleteRecord(ctx, pick(live), 'api');
    else if (r < 0.92) {
      // a transaction that fails: its writes are rolled back
      const snapshot = store.snapshot();
      insert(ctx, 'CUSTOMER', { CUSTOMERID: pick(IDS), NAME: 'rolled back' });
      const rec = pick(store.all('CUSTOMER'));
      mergeFields(rec.fields, { CUSTOMERID: pick(IDS) }, []);
      touch(ctx, rec, false);
      store.restore(snapshot);
    } else {
      const rec = pick(live);
      mergeFields(rec.fields, { STATUS: random() < 0.5 ? 'inactive' : 'active' }, []);
      touch(ctx, rec, false);
    }
  };
  for (let n = 0; n < 200; n++) step();
  return { store, now: () => now, pick, step };
}

const cond = (op: string, field: string, ...values: string[]) =>
  `<${op}><field>${field}</field>${values.map((v) => `<value>${v}</value>`).join('')}</${op}>`;

function runQuery(ctx: OpContext, filter: string, ci: boolean, showPrivate: boolean, orderby: string) {
  const fn = parseRequestXml(
    `<query><object>CUSTOMER</object><select><field>RECORDNO</field><field>CUSTOMERID</field><field>NAME</field></select>` +
      `<filter>${filter}</filter>${orderby}<options><caseinsensitive>${ci}</caseinsensitive><showprivate>${showPrivate}</showprivate></options>` +
      `<pagesize>2000</pagesize></query>`,
  );
  const query = READ_HANDLERS.query;
  if (!query) throw new Error('no query handler');
  return query(fn, ctx).data;
}

describe('indexed Intacct queries answer what the scan answers', () => {
  for (const seed of [11, 12, 13, 14, 15]) {
    test(`random company ${seed}: equalto / in on IDs and RECORDNO, alone or AND-ed, per entity`, () => {
      const random = seededRandom(seed);
      const { store, now, pick, step } = company(random);
      let nonEmpty = 0;
      for (let k = 0; k < 40; k++) {
        const id = pick(IDS);
        const recordNo = String(pick(store.all('CUSTOMER'))?.recordNo ?? 1);
        const filters = [
          cond('equalto', 'CUSTOMERID', id),
          cond('in', 'CUSTOMERID', id, pick(IDS), pick(IDS)),
          cond('equalto', 'RECORDNO', recordNo),
          `<and>${cond('in', 'CUSTOMERID', id, pick(IDS))}${cond('like', 'NAME', 'n%')}</and>`,
          `<and>${cond('greaterthan', 'RECORDNO', '3')}<and>${cond('equalto', 'NAME', `N${k % 7}`)}${cond('notequalto', 'CUSTOMERID', id)}</and></and>`,
          `<and>${cond('equalto', 'STATUS', 'active')}${cond('equalto', 'CUSTOMERID', id)}</and>`,
        ];
        for (const filter of filters)
          for (const entity of ENTITIES)
            for (const [ci, showPrivate] of [
              [false, false],
              [true, false],
              [true, true],
            ] as const) {
              const ctx = context(store, entity, now());
              const orderby =
                k % 2 === 0 ? '' : '<orderby><order><field>NAME</field><descending/></order></orderby>';
              const scan = runQuery(ctx, `<or>${filter}${filter}</or>`, ci, showPrivate, orderby);
              const indexed = runQuery(ctx, filter, ci, showPrivate, orderby);
              expect(indexed, `${filter} entity '${entity}' ci ${ci} private ${showPrivate}`).toEqual(scan);
              if (Number(scan?.['@_count']) > 0) nonEmpty++;
            }
        for (const entity of ENTITIES) {
          const ctx = context(store, entity, now());
          const seen = visible(ctx, 'CUSTOMER');
          const byName = parseRequestXml(
            `<readByName><object>CUSTOMER</object><keys>${id}</keys><fields>*</fields></readByName>`,
          );
          const byKey = parseRequestXml(
            `<read><object>CUSTOMER</object><keys>${recordNo},0${recordNo}</keys><fields>*</fields></read>`,
          );
          // an empty key is dropped from the list, as readByName drops it
          const found = id === '' ? undefined : seen.find((r) => r.fields.CUSTOMERID === id);
          expect(READ_HANDLERS.readByName?.(byName, ctx).data?.CUSTOMER).toEqual(found ? [found.fields] : []);
          const keyed = seen.find((r) => String(r.recordNo) === recordNo);
          expect(READ_HANDLERS.read?.(byKey, ctx).data?.CUSTOMER).toEqual(keyed ? [keyed.fields] : []);
        }
        const first = [...(store.records.get('CUSTOMER')?.values() ?? [])].find(
          (r) => r.fields.CUSTOMERID === id,
        );
        expect(store.findBy('CUSTOMER', 'CUSTOMERID', id)).toBe(first);
        // edits after the index was built: it must follow them
        for (let n = 0; n < 10; n++) step();
      }
      expect(nonEmpty).toBeGreaterThan(100);
    });
  }
});
