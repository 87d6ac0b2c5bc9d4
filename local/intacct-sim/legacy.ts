import { createBillHandler } from './ap-bills.ts';
import { createArAdjustment } from './ar-adjustments.ts';
import { createArInvoice, dateText, postingDate, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { documentCurrency } from './entities.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { revRecHandler } from './ledger.ts';
import { createPoTransaction } from './purchasing.ts';
import { checkDimensions, deleteRecord, findVisible } from './records.ts';
import { createSoTransaction, dateOf } from './sales-documents.ts';
import { updateSoTransaction } from './sales-updates.ts';
import { child, childrenNamed, childText, type XNode } from './xml.ts';

function arLines(ctx: OpContext, nodes: XNode[]) {
  const lines = nodes.map((n, i) => {
    const amount = Number(childText(n, 'amount'));
    const accountNo = childText(n, 'glaccountno') ?? childText(n, 'accountlabel');
    if (!accountNo) throw businessError(`Line ${i + 1}: glaccountno or accountlabel is required.`);
    if (!Number.isFinite(amount)) throw businessError(`Line ${i + 1}: amount must be a number.`);
    return {
      accountNo,
      amount,
      memo: childText(n, 'memo'),
      locationId: childText(n, 'locationid'),
      departmentId: childText(n, 'departmentid'),
      itemId: childText(n, 'itemid'),
    };
  });
  checkDimensions(
    ctx,
    nodes.map((n) => Object.fromEntries(n.children.map((c) => [c.name, c.text]))),
    true,
  );
  return lines;
}

const createInvoice: Handler = (fn, ctx) => {
  const customer = requireCustomer(ctx, childText(fn, 'customerid'));
  const created = dateOf(child(fn, 'datecreated'));
  if (!child(fn, 'datedue') && !childText(fn, 'termname'))
    throw businessError('Either datedue or termname is required.');
  const whenCreated = postingDate(ctx, dateOf(child(fn, 'dateposted')) ?? created);
  const due = dateOf(child(fn, 'datedue'));
  const currency = documentCurrency(ctx, {
    currency: childText(fn, 'currency'),
    baseCurrency: childText(fn, 'basecurr'),
    exchangeRate: childText(fn, 'exchrate'),
  });
  const lines = arLines(ctx, childrenNamed(child(fn, 'invoiceitems'), 'lineitem'));
  const invoice = createArInvoice(ctx, {
    customer,
    whenCreated,
    whenDue: due ? dateText(due) : undefined,
    termName: childText(fn, 'termname'),
    recordId: childText(fn, 'invoiceno'),
    description: childText(fn, 'description'),
    externalId: childText(fn, 'externalid'),
    currency,
    moduleKey: '4.AR',
    lines,
  });
  return { key: String(invoice.recordNo), transactions: 1 };
};

const createArAdjustmentHandler: Handler = (fn, ctx) => {
  const customer = requireCustomer(ctx, childText(fn, 'customerid'));
  const created = dateOf(child(fn, 'datecreated'));
  const whenPosted = postingDate(ctx, dateOf(child(fn, 'dateposted')) ?? created);
  const currency = documentCurrency(ctx, {
    currency: childText(fn, 'currency'),
    baseCurrency: childText(fn, 'basecurr'),
    exchangeRate: childText(fn, 'exchrate'),
  });
  const adj = createArAdjustment(ctx, {
    customer,
    whenPosted,
    recordId: childText(fn, 'adjustmentno'),
    description: childText(fn, 'description'),
    invoiceNo: childText(fn, 'invoiceno'),
    externalId: childText(fn, 'externalid'),
    currency,
    lines: arLines(ctx, childrenNamed(child(fn, 'aradjustmentitems'), 'lineitem')),
  });
  return { key: String(adj.recordNo), transactions: 1 };
};

const deleteCustomer: Handler = (fn, ctx) => {
  const id = fn.attrs.customerid ?? '';
  const customer = findVisible(ctx, 'CUSTOMER', { id });
  if (!customer) throw businessError(`Cannot find Customer with key '${id}' to delete.`);
  assertCustomerUnused(ctx, id);
  deleteRecord(ctx, customer, 'api');
  return { transactions: 1 };
};

/** A customer with transactions cannot be deleted. */
export function assertCustomerUnused(ctx: OpContext, customerId: string): void {
  const used =
    ctx.store.all('ARINVOICE').some((r) => r.fields.CUSTOMERID === customerId) ||
    ctx.store.all('SODOCUMENT').some((r) => r.fields.CUSTVENDID === customerId);
  if (used)
    throw businessError(
      `Customer ${customerId} has transactions and cannot be deleted.`,
      'Make the customer inactive instead.',
    );
}

/** Legacy function implementations by element name. */
export const LEGACY_HANDLERS: Record<string, Handler> = {
  create_sotransaction: createSoTransaction,
  update_sotransaction: updateSoTransaction,
  create_invoice: createInvoice,
  create_aradjustment: createArAdjustmentHandler,
  delete_customer: deleteCustomer,
  create_bill: createBillHandler,
  create_potransaction: createPoTransaction,
  post_revrecscheduleentry: revRecHandler(true),
  unpost_revrecscheduleentry: revRecHandler(false),
};
