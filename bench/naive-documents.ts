/**
 * The naive baseline for documents: one won Opportunity at a time, one call per step, as the
 * closed-won template of a typical recipe does — read the Opportunity with its lines, skip it if
 * it already carries a document ID (the recipe's only dedupe), look the customer up, look each
 * line's item up, create the sales order, write its ID back. The project's own clients with
 * batching off, as many lanes as the Intacct cap allows.
 */
import { createSoTransaction, readByQuery } from '#shared/intacct/index.ts';
import { naiveClients, quote } from './naive-clients.ts';
import type { Simulators } from './stack.ts';

type Row = Record<string, unknown>;

export function makeNaiveDocuments(sims: Simulators, lanes: number) {
  const { salesforce, intacct } = naiveClients(sims, lanes);
  const lookUp = async (object: string, field: string, value: string) =>
    (
      await intacct.execute(
        readByQuery({ object, fields: [field, 'STATUS'], query: `${field} = ${quote(value)}`, pagesize: 1 }),
      )
    ).rows[0];
  return {
    async opportunityToOrder(id: string): Promise<void> {
      const [opp] = await salesforce.query(
        `SELECT Id, CloseDate, Intacct_Document_Id__c, Account.Intacct_Customer_Id__c, (SELECT Quantity, UnitPrice, ProductCode FROM OpportunityLineItems) FROM Opportunity WHERE Id = ${quote(id)}`,
      );
      if (opp === undefined || opp.Intacct_Document_Id__c) return;
      const customerId = String((opp.Account as Row | undefined)?.Intacct_Customer_Id__c ?? '');
      if ((await lookUp('CUSTOMER', 'CUSTOMERID', customerId)) === undefined)
        throw new Error(`customer ${customerId} not found`);
      const lines = ((opp.OpportunityLineItems as { records?: Row[] } | null)?.records ?? []).map((l) => ({
        itemId: String(l.ProductCode),
        quantity: String(l.Quantity),
        price: String(l.UnitPrice),
      }));
      for (const line of lines)
        if ((await lookUp('ITEM', 'ITEMID', line.itemId)) === undefined)
          throw new Error(`item ${line.itemId} not found`);
      const { key } = await intacct.execute(
        createSoTransaction(
          {
            transactionType: 'Sales Order',
            dateCreated: String(opp.CloseDate),
            customerId,
            externalId: id,
            lines,
          },
          { controlId: `naive-${id}` },
        ),
        { entityId: 'E100' },
      );
      const [r] = await salesforce.update('Opportunity', [{ Id: id, Intacct_Document_Id__c: key }]);
      if (r?.success !== true) throw new Error(`write-back failed: ${r?.errors[0]?.message}`);
    },
  };
}
