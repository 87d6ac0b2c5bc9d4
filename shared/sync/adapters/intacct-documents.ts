/**
 * The document kind's Intacct port on our XML client: sales transactions through the legacy
 * `create_sotransaction` / `update_sotransaction` (the supported way: reference §1.1), AR invoices
 * through `create_invoice`, each found again by the reference field that carries the Salesforce ID.
 * Creates run in the routed entity's session; finds run at the top level with private records shown.
 */
import {
  createInvoice,
  createSoTransaction,
  IntacctAlreadyExecutedError,
  type IntacctClient,
  type SoLineInput,
  updateSoTransaction,
} from '#shared/intacct/index.ts';
import type {
  DocumentChange,
  DocumentDraft,
  DocumentPort,
  DocumentSpec,
  DraftLine,
  FoundDocument,
} from '../document-ports.ts';
import { queryWhereIn } from './intacct-port.ts';

/**
 * The field a reference is read back from. `externalid` is EXTERNALID on both objects;
 * `referenceno` is SODOCUMENT.PONUMBER and the invoice's `ponumber` DOCNUMBER [both unverified].
 */
export function referenceField(spec: DocumentSpec): string {
  if (spec.reference === 'externalid') return 'EXTERNALID';
  return spec.function === 'create_sotransaction' ? 'PONUMBER' : 'DOCNUMBER';
}

const objectOf = (spec: DocumentSpec) =>
  spec.function === 'create_sotransaction' ? 'SODOCUMENT' : 'ARINVOICE';
const idFieldOf = (spec: DocumentSpec) => (spec.function === 'create_sotransaction' ? 'DOCID' : 'RECORDNO');

function soLine(l: DraftLine): SoLineInput {
  return {
    itemId: l.itemId,
    itemDescription: l.description,
    quantity: l.quantity,
    unit: l.unit,
    discountPercent: l.discountPercent,
    price: l.price,
    locationId: l.dimensions.locationid,
    departmentId: l.dimensions.departmentid,
    projectId: l.dimensions.projectid,
    classId: l.dimensions.classid,
  };
}

/** An AR line's amount: quantity × price less the discount, to the cent (Intacct rounds to 2 dp). */
function amountOf(l: DraftLine): string {
  const gross = Number(l.quantity) * Number(l.price ?? 0);
  const net = gross * (1 - Number(l.discountPercent ?? 0) / 100);
  return (Math.round(net * 100) / 100).toFixed(2);
}

export class IntacctDocuments implements DocumentPort {
  readonly #client: IntacctClient;

  constructor(client: IntacctClient) {
    this.#client = client;
  }

  async find(spec: DocumentSpec, references: readonly string[]): Promise<Map<string, FoundDocument[]>> {
    const field = referenceField(spec);
    const idField = idFieldOf(spec);
    const out = new Map<string, FoundDocument[]>();
    const select = [...new Set(['RECORDNO', idField, field, 'STATE', 'MEGAENTITYID'])];
    const rows = queryWhereIn(this.#client, { object: objectOf(spec), select, field, values: references });
    for await (const row of rows) {
      const reference = String(row[field] ?? '');
      const found: FoundDocument = {
        id: String(row[idField] ?? ''),
        recordNo: row.RECORDNO === undefined ? undefined : String(row.RECORDNO),
        reference,
        state: row.STATE === undefined || row.STATE === null ? undefined : String(row.STATE),
        entity: String(row.MEGAENTITYID ?? ''),
      };
      out.set(reference, [...(out.get(reference) ?? []), found]);
    }
    return out;
  }

  async create(spec: DocumentSpec, draft: DocumentDraft, controlId: string): Promise<FoundDocument> {
    const reread = async () => {
      const [found] = (await this.find(spec, [draft.reference])).get(draft.reference) ?? [];
      return found === undefined ? undefined : { key: found.id };
    };
    const { key } = await this.#client.writeOnce(this.#createFunction(spec, draft, controlId), reread, {
      entityId: draft.entity,
    });
    return { id: key, reference: draft.reference, entity: draft.entity };
  }

  async update(spec: DocumentSpec, change: DocumentChange, controlId: string): Promise<void> {
    if (spec.function !== 'create_sotransaction')
      throw new Error('only sales transactions are updated after creation (config validation refuses this)');
    try {
      await this.#client.execute(
        updateSoTransaction(
          {
            key: change.id,
            dateCreated: change.header.date,
            dateDue: change.header.dueDate,
            message: change.header.message,
            customerPoNumber: change.header.customerPoNumber,
            updateLines: change.changedLines.map(({ lineNum, ...line }) => ({ lineNum, ...soLine(line) })),
            addLines: change.addedLines.map(soLine),
          },
          { controlId },
        ),
        { entityId: change.entity },
      );
    } catch (error) {
      // The same change already ran (a duplicate job at the same time): it is done.
      if (!(error instanceof IntacctAlreadyExecutedError)) throw error;
    }
  }

  #createFunction(spec: DocumentSpec, d: DocumentDraft, controlId: string) {
    const currency =
      d.currency === undefined
        ? undefined
        : { currency: d.currency, exchangeRateDate: d.date, exchangeRateType: d.exchangeRateType };
    const reference = spec.reference === 'externalid' ? { externalId: d.reference } : undefined;
    if (spec.function === 'create_sotransaction')
      return createSoTransaction(
        {
          transactionType: spec.transactionType,
          dateCreated: d.date,
          customerId: d.customerId,
          referenceNo: spec.reference === 'referenceno' ? d.reference : undefined,
          termName: d.termName,
          dateDue: d.dueDate,
          message: d.message,
          ...reference,
          currency,
          state: spec.state,
          customerPoNumber: d.customerPoNumber,
          lines: d.lines.map(soLine),
        },
        { controlId },
      );
    return createInvoice(
      {
        customerId: d.customerId,
        dateCreated: d.date,
        dateDue: d.dueDate,
        termName: d.termName ?? spec.termName,
        poNumber: spec.reference === 'referenceno' ? d.reference : d.customerPoNumber,
        description: d.message,
        ...reference,
        currency,
        lines: d.lines.map((l) => ({
          glAccountNo: spec.glAccountNo,
          amount: amountOf(l),
          memo: l.description,
          itemId: l.itemId,
          locationId: l.dimensions.locationid,
          departmentId: l.dimensions.departmentid,
          projectId: l.dimensions.projectid,
          classId: l.dimensions.classid,
        })),
      },
      { controlId },
    );
  }
}
