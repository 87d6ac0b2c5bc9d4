import { createArInvoice, dateText, postingDate, recalcCustomerDue, requireCustomer } from './ar-ap.ts';
import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import type { Handler } from './handler.ts';
import { checkDimensions, deleteRecord, findVisible, insert, money, touch } from './records.ts';
import type { SimRecord } from './store.ts';
import { child, childrenNamed, childText, type FieldMap, type XNode } from './xml.ts';

/** Transaction definitions of the demo company; invoice-type ones create an AR invoice. */
const DEFINITIONS: Record<string, { prefix: string; createsInvoice: boolean; state: string }> = {
  'Sales Quote': { prefix: 'QT', createsInvoice: false, state: 'Pending' },
  'Sales Order': { prefix: 'SO', createsInvoice: false, state: 'Pending' },
  'Sales Invoice': { prefix: 'INV', createsInvoice: true, state: 'Closed' },
};

const dateOf = (node: XNode | undefined) =>
  node
    ? {
        year: childText(node, 'year') ?? '',
        month: childText(node, 'month') ?? '',
        day: childText(node, 'day') ?? '',
      }
    : undefined;

function soLines(ctx: OpContext, nodes: XNode[], startLine: number): FieldMap[] {
  const lines = nodes.map((n, i) => {
    const itemId = childText(n, 'itemid') ?? '';
    const item = findVisible(ctx, 'ITEM', { id: itemId });
    if (!item)
      throw businessError(
        `Line ${startLine + i + 1}: Invalid Item '${itemId}' specified.`,
        'Use an existing item ID.',
      );
    if (item.fields.STATUS === 'inactive')
      throw businessError(`Line ${startLine + i + 1}: Item '${itemId}' is inactive.`);
    const quantity = Number(childText(n, 'quantity'));
    if (!Number.isFinite(quantity))
      throw businessError(`Line ${startLine + i + 1}: quantity must be a number.`);
    const price = Number(childText(n, 'price') ?? item.fields.BASEPRICE ?? 0);
    return {
      LINE_NO: String(startLine + i),
      ITEMID: itemId,
      ITEMDESC: childText(n, 'itemdesc') ?? String(item.fields.NAME ?? ''),
      QUANTITY: String(quantity),
      UIPRICE: money(price),
      UIVALUE: money(price * quantity),
      TRX_PRICE: money(price),
      TRX_VALUE: money(price * quantity),
      LOCATIONID: childText(n, 'locationid') ?? '',
      DEPARTMENTID: childText(n, 'departmentid') ?? '',
      MEMO: childText(n, 'memo') ?? '',
    } satisfies FieldMap;
  });
  checkDimensions(ctx, lines, false);
  return lines;
}

function entriesOf(doc: SimRecord): FieldMap[] {
  const e = (doc.fields.SODOCUMENTENTRIES as FieldMap | undefined)?.sodocumententry;
  return Array.isArray(e) ? e : e && typeof e === 'object' ? [e] : [];
}

function setEntries(doc: SimRecord, lines: FieldMap[]): void {
  const total = lines.reduce((s, l) => s + Number(l.UIVALUE), 0);
  doc.fields.SODOCUMENTENTRIES = {
    sodocumententry: lines.map((l) => ({
      ...l,
      DOCHDRNO: String(doc.recordNo),
      DOCHDRID: String(doc.fields.DOCID),
    })),
  };
  doc.fields.SUBTOTAL = money(total);
  doc.fields.TOTAL = money(total);
}

function linkInvoice(ctx: OpContext, doc: SimRecord, customer: SimRecord): void {
  const invoice = createArInvoice(ctx, {
    customer,
    whenCreated: String(doc.fields.WHENCREATED),
    whenDue: String(doc.fields.WHENDUE || doc.fields.WHENCREATED),
    recordId: String(doc.fields.DOCNO),
    description: String(doc.fields.MESSAGE ?? ''),
    moduleKey: '8.SO',
    soDocumentKey: String(doc.recordNo),
    lines: entriesOf(doc).map((l) => ({
      accountNo: '4000',
      amount: Number(l.UIVALUE),
      memo: String(l.MEMO ?? ''),
      locationId: String(l.LOCATIONID ?? ''),
      departmentId: String(l.DEPARTMENTID ?? ''),
      itemId: String(l.ITEMID ?? ''),
    })),
  });
  doc.fields.PRRECORDKEY = String(invoice.recordNo);
}

const createSoTransaction: Handler = (fn, ctx) => {
  const type = childText(fn, 'transactiontype') ?? '';
  const def = DEFINITIONS[type];
  if (!def)
    throw businessError(
      `Invalid transaction definition '${type}'.`,
      `Use one of: ${Object.keys(DEFINITIONS).join(', ')}.`,
    );
  const customer = requireCustomer(ctx, childText(fn, 'customerid'));
  const created = dateOf(child(fn, 'datecreated'));
  // only invoice-type documents post to the GL, so only they hit the closed period
  const whenCreated = def.createsInvoice ? postingDate(ctx, created) : dateText(created);
  const due = dateOf(child(fn, 'datedue'));
  const lines = soLines(ctx, childrenNamed(child(fn, 'sotransitems'), 'sotransitem'), 0);
  const seq = (ctx.store.docSequences.get(type) ?? 0) + 1;
  const docNo = childText(fn, 'documentno') ?? `${def.prefix}-${String(seq).padStart(4, '0')}`;
  if (ctx.store.findBy('SODOCUMENT', 'DOCID', `${type}-${docNo}`)) {
    throw businessError(
      `Another Sales Transaction with document number ${docNo} already exists`,
      undefined,
      'BL34000061',
    );
  }
  ctx.store.docSequences.set(type, seq);
  const doc = insert(ctx, 'SODOCUMENT', {
    DOCNO: docNo,
    DOCID: `${type}-${docNo}`,
    DOCPARID: type,
    STATE: childText(fn, 'state') ?? def.state,
    CUSTVENDID: String(customer.fields.CUSTOMERID),
    CUSTVENDNAME: String(customer.fields.NAME ?? ''),
    WHENDUE: due ? dateText(due) : '',
    PONUMBER: childText(fn, 'customerponumber') ?? '',
    REFERENCENO: childText(fn, 'referenceno') ?? '',
    MESSAGE: childText(fn, 'message') ?? '',
    EXTERNALID: childText(fn, 'externalid') ?? '',
    CURRENCY: childText(fn, 'currency') ?? 'USD',
    PRRECORDKEY: '',
  });
  doc.fields.WHENCREATED = whenCreated;
  setEntries(doc, lines);
  if (def.createsInvoice) linkInvoice(ctx, doc, customer);
  return { key: String(doc.fields.DOCID), transactions: 1 };
};

const updateSoTransaction: Handler = (fn, ctx) => {
  const key = fn.attrs.key ?? '';
  const doc = visibleDoc(ctx, key);
  for (const [el, field] of [
    ['referenceno', 'REFERENCENO'],
    ['message', 'MESSAGE'],
    ['state', 'STATE'],
  ] as const) {
    const v = childText(fn, el);
    if (v !== undefined) doc.fields[field] = v;
  }
  const lines = entriesOf(doc);
  const updates = child(fn, 'updatesotransitems');
  for (const u of childrenNamed(updates, 'updatesotransitem')) {
    const lineNum = Number(u.attrs.line_num);
    const line = lines[lineNum - 1];
    if (!line)
      throw businessError(
        `Invalid line_num ${u.attrs.line_num ?? ''}: the document has ${lines.length} lines (line_num is 1-based).`,
      );
    const quantity = childText(u, 'quantity') ?? String(line.QUANTITY);
    const price = childText(u, 'price') ?? String(line.UIPRICE);
    Object.assign(line, {
      QUANTITY: quantity,
      UIPRICE: money(Number(price)),
      UIVALUE: money(Number(price) * Number(quantity)),
      MEMO: childText(u, 'memo') ?? line.MEMO,
    });
  }
  const added = soLines(ctx, childrenNamed(updates, 'sotransitem'), lines.length);
  setEntries(doc, [...lines, ...added]);
  touch(ctx, doc, false);
  const oldInvoice = doc.fields.PRRECORDKEY
    ? ctx.store.get('ARINVOICE', Number(doc.fields.PRRECORDKEY))
    : undefined;
  if (oldInvoice) {
    if (Number(oldInvoice.fields.TOTALPAID) > 0)
      throw businessError('The linked AR invoice has payments applied and cannot be recreated.');
    // Intacct deletes and recreates the linked AR invoice under a new RECORDNO
    ctx.store.remove('ARINVOICE', oldInvoice.recordNo);
    const customer = requireCustomer(ctx, String(doc.fields.CUSTVENDID));
    linkInvoice(ctx, doc, customer);
  }
  return { key, transactions: 1 };
};

function visibleDoc(ctx: OpContext, key: string): SimRecord {
  const doc = ctx.store.findBy('SODOCUMENT', 'DOCID', key);
  if (!doc || (doc.entity !== '' && doc.entity !== ctx.entityId)) {
    throw businessError(`Cannot find Sales Transaction with key '${key}'.`);
  }
  return doc;
}

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
  const invoice = createArInvoice(ctx, {
    customer,
    whenCreated,
    whenDue: due ? dateText(due) : undefined,
    termName: childText(fn, 'termname'),
    recordId: childText(fn, 'invoiceno'),
    description: childText(fn, 'description'),
    currency: childText(fn, 'currency'),
    moduleKey: '4.AR',
    lines: arLines(ctx, childrenNamed(child(fn, 'invoiceitems'), 'lineitem')),
  });
  return { key: String(invoice.recordNo), transactions: 1 };
};

const createArAdjustment: Handler = (fn, ctx) => {
  const customer = requireCustomer(ctx, childText(fn, 'customerid'));
  const created = dateOf(child(fn, 'datecreated'));
  const whenPosted = postingDate(ctx, dateOf(child(fn, 'dateposted')) ?? created);
  const lines = arLines(ctx, childrenNamed(child(fn, 'aradjustmentitems'), 'lineitem'));
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const adj = insert(ctx, 'ARADJUSTMENT', {
    RECORDID: childText(fn, 'adjustmentno') ?? '',
    STATE: 'Posted',
    CUSTOMERID: String(customer.fields.CUSTOMERID),
    CUSTOMERNAME: String(customer.fields.NAME ?? ''),
    // the sign decides the type: negative lines make a credit memo
    ADJUSTMENTTYPE: total < 0 ? 'Credit Memo' : 'Debit Memo',
    DESCRIPTION: childText(fn, 'description') ?? '',
    INVOICENO: childText(fn, 'invoiceno') ?? '',
    WHENPOSTED: whenPosted,
    TOTALENTERED: money(total),
    TOTALDUE: money(total),
    TOTALPAID: '0.00',
    CURRENCY: childText(fn, 'currency') ?? 'USD',
    ARADJUSTMENTITEMS: {
      aradjustmentitem: lines.map((l, i) => ({
        LINE_NO: String(i),
        ACCOUNTNO: l.accountNo,
        AMOUNT: money(l.amount),
        MEMO: l.memo ?? '',
      })),
    },
  });
  adj.fields.WHENCREATED = whenPosted;
  recalcCustomerDue(ctx, String(customer.fields.CUSTOMERID));
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
  create_aradjustment: createArAdjustment,
  delete_customer: deleteCustomer,
};
