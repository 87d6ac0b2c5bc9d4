/**
 * The naive baseline: a reference syncer that works the way a typical iPaaS recipe does — one
 * record at a time, one API call per step, no crosswalk, no change detection, no batching:
 * read the source record, look the target up by its key, create or update it with one function
 * per request, write the ID back with a single-record update. It uses the project's own API
 * clients (so protocol, auth and transient-error retries match) with batching turned off, and as
 * many lanes as the Intacct concurrency cap allows, so it gets the same concurrency the pipeline has.
 */

import { create, readByQuery, update } from '#shared/intacct/index.ts';
import { nest } from '#shared/sync/adapters/intacct-port.ts';
import type { MirrorFlow } from '#shared/sync/flow-schema.ts';
import { fieldsToRead, toIntacct, toSalesforce, type Values } from '#shared/sync/mapping.ts';
import { naiveClients, quote } from './naive-clients.ts';
import type { Simulators } from './stack.ts';

export interface NaiveSyncer {
  /** Salesforce account → Intacct customer: SOQL read, readByQuery, create/update, ID write-back. */
  accountToIntacct(id: string): Promise<void>;
  /** An outbound message already carries the record: readByQuery, create/update, ID write-back. */
  notificationToIntacct(fields: Values): Promise<void>;
  /** Intacct customer → Salesforce account: readByQuery, SOQL lookup by key, single-record update. */
  customerToSalesforce(customerId: string): Promise<void>;
  /** Runs `work` over `items` in as many lanes as the Intacct cap allows. */
  run<T>(items: readonly T[], work: (item: T) => Promise<void>, onDone?: () => void): Promise<number>;
}

export function makeNaiveSyncer(sims: Simulators, flow: MirrorFlow, lanes: number): NaiveSyncer {
  const { salesforce, intacct } = naiveClients(sims, lanes);
  const keySpec = flow.intacctKey;
  const keyField = keySpec?.field ?? 'CUSTOMERID';
  const sfKeyField = flow.salesforceKeyField ?? 'Intacct_Customer_Id__c';
  const sfFields = fieldsToRead(flow, 'salesforce');
  const iaFields = fieldsToRead(flow, 'intacct');

  const keyFor = (id: string, values: Values) => {
    const own = keySpec?.fromSalesforce === undefined ? undefined : values[keySpec.fromSalesforce];
    return (typeof own === 'string' && own !== '' ? own : `${keySpec?.prefix ?? ''}${id}`).slice(
      0,
      keySpec?.maxLength ?? 20,
    );
  };

  async function upsertCustomer(id: string, values: Values): Promise<void> {
    const key = keyFor(id, values);
    const found = await intacct.execute(
      readByQuery({
        object: flow.intacctObject,
        fields: ['RECORDNO', keyField],
        query: `${keyField} = ${quote(key)}`,
        pagesize: 1,
      }),
    );
    const fields = nest(
      Object.fromEntries(Object.entries(toIntacct(flow, values)).filter(([, v]) => v !== null)),
    );
    const controlId = `naive-${id}-${Date.now()}`;
    if (found.rows.length === 0) {
      await intacct.execute(
        create({ object: flow.intacctObject, fields: { ...fields, [keyField]: key } }, { controlId }),
      );
    } else {
      await intacct.execute(
        update({ object: flow.intacctObject, fields: { ...fields, [keyField]: key } }, { controlId }),
      );
    }
    const [result] = await salesforce.update(flow.salesforceObject, [{ Id: id, [sfKeyField]: key }]);
    if (result?.success !== true)
      throw new Error(`write-back of ${id} failed: ${result?.errors[0]?.message}`);
  }

  return {
    async accountToIntacct(id) {
      const [row] = await salesforce.query(
        `SELECT Id, ${sfFields.filter((f) => f !== 'Id').join(', ')} FROM ${flow.salesforceObject} WHERE Id = ${quote(id)}`,
      );
      if (row === undefined) return;
      const values: Values = {};
      for (const f of sfFields) values[f] = row[f] === null || row[f] === undefined ? null : String(row[f]);
      await upsertCustomer(id, values);
    },
    notificationToIntacct: (fields) => upsertCustomer(String(fields.Id), fields),
    async customerToSalesforce(customerId) {
      const page = await intacct.execute(
        readByQuery({
          object: flow.intacctObject,
          fields: iaFields,
          query: `${keyField} = ${quote(customerId)}`,
          pagesize: 1,
        }),
      );
      const row = page.rows[0];
      if (row === undefined) return;
      const [account] = await salesforce.query(
        `SELECT Id FROM ${flow.salesforceObject} WHERE ${sfKeyField} = ${quote(customerId)}`,
      );
      if (account === undefined) return;
      const values: Values = {};
      for (const f of iaFields) values[f] = row[f] === null || row[f] === undefined ? null : String(row[f]);
      const mapped = toSalesforce(flow, values);
      const owned = new Set(flow.fields.filter((f) => f.owner !== 'salesforce').map((f) => f.salesforce));
      const fields = Object.fromEntries(Object.entries(mapped).filter(([k]) => owned.has(k)));
      const [result] = await salesforce.update(flow.salesforceObject, [
        { Id: String(account.Id), ...fields },
      ]);
      if (result?.success !== true)
        throw new Error(`update of ${account.Id} failed: ${result?.errors[0]?.message}`);
    },
    async run(items, work, onDone) {
      let next = 0;
      let failed = 0;
      const lane = async () => {
        while (next < items.length) {
          const item = items[next++] as (typeof items)[number];
          try {
            await work(item);
          } catch {
            failed++;
          }
          onDone?.();
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      return failed;
    },
  };
}
