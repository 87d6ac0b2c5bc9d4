import { SimSchemaError } from './errors.ts';
import type { XNode } from './xml.ts';

/** An `xs:sequence`: allowed children in order, which are required, which repeat, and their own sequences. */
export interface Sequence {
  order: string[];
  required?: string[];
  repeat?: string[];
  children?: Record<string, Sequence>;
}

export const DATE: Sequence = { order: ['year', 'month', 'day'], required: ['year', 'month', 'day'] };
export const CURRENCY = ['basecurr', 'currency', 'exchratedate', 'exchratetype', 'exchrate'];
export const CUSTOMFIELDS: Sequence = {
  order: ['customfield'],
  repeat: ['customfield'],
  children: { customfield: { order: ['customfieldname', 'customfieldvalue'] } },
};
export const CONTACTREF: Sequence = { order: ['contactname'] };

const SOTRANSITEM: Sequence = {
  order: [
    'bundlenumber',
    'itemid',
    'itemdesc',
    'itemaliasid',
    'taxable',
    'warehouseid',
    'quantity',
    'unit',
    'linelevelsimpletaxtype',
    'discountpercent',
    'price',
    'sourcelinekey',
    'discsurchargememo',
    'locationid',
    'departmentid',
    'memo',
    'itemdetails',
    'customfields',
    'revrectemplate',
    'revrecstartdate',
    'revrecenddate',
    'renewalmacro',
    'projectid',
    'taskid',
    'costtypeid',
    'customerid',
    'vendorid',
    'employeeid',
    'classid',
    'contractid',
    'fulfillmentstatus',
    'taskno',
    'billingtemplate',
  ],
  required: ['itemid', 'quantity'],
  children: { customfields: CUSTOMFIELDS, revrecstartdate: DATE, revrecenddate: DATE },
};

const LINEITEM: Sequence = {
  order: [
    'glaccountno',
    'accountlabel',
    'offsetglaccountno',
    'amount',
    'allocationid',
    'memo',
    'locationid',
    'departmentid',
    'key',
    'totalpaid',
    'totaldue',
    'customfields',
    'revrectemplate',
    'defrevaccount',
    'revrecstartdate',
    'revrecenddate',
    'projectid',
    'customerid',
    'vendorid',
    'employeeid',
    'itemid',
    'classid',
    'contractid',
    'warehouseid',
    'taxentries',
  ],
  required: ['amount'],
  children: { customfields: CUSTOMFIELDS, revrecstartdate: DATE, revrecenddate: DATE },
};

/** Strict element order of the legacy functions the simulator implements (from the XSD). */
export const LEGACY_SCHEMAS: Record<string, Sequence> = {
  create_sotransaction: {
    order: [
      'transactiontype',
      'datecreated',
      'dateposted',
      'createdfrom',
      'customerid',
      'documentno',
      'origdocdate',
      'referenceno',
      'termname',
      'datedue',
      'message',
      'shippingmethod',
      'shipto',
      'billto',
      'supdocid',
      'externalid',
      ...CURRENCY,
      'vsoepricelist',
      'customfields',
      'state',
      'projectid',
      'customerponumber',
      'taxsolutionid',
      'sotransitems',
      'subtotals',
    ],
    required: ['transactiontype', 'datecreated', 'customerid', 'sotransitems'],
    children: {
      datecreated: DATE,
      dateposted: DATE,
      datedue: DATE,
      origdocdate: DATE,
      exchratedate: DATE,
      shipto: CONTACTREF,
      billto: CONTACTREF,
      customfields: CUSTOMFIELDS,
      sotransitems: {
        order: ['sotransitem'],
        required: ['sotransitem'],
        repeat: ['sotransitem'],
        children: { sotransitem: SOTRANSITEM },
      },
    },
  },
  update_sotransaction: {
    order: [
      'datecreated',
      'dateposted',
      'referenceno',
      'termname',
      'datedue',
      'origdocdate',
      'message',
      'shippingmethod',
      'shipto',
      'billto',
      'supdocid',
      'externalid',
      ...CURRENCY,
      'customfields',
      'state',
      'projectid',
      'customerponumber',
      'updatesotransitems',
      'updatesubtotals',
    ],
    children: {
      datecreated: DATE,
      dateposted: DATE,
      datedue: DATE,
      customfields: CUSTOMFIELDS,
      updatesotransitems: {
        order: ['updatesotransitem', 'sotransitem'],
        repeat: ['updatesotransitem', 'sotransitem'],
        children: { sotransitem: SOTRANSITEM, updatesotransitem: { ...SOTRANSITEM, required: [] } },
      },
    },
  },
  create_invoice: {
    order: [
      'customerid',
      'datecreated',
      'dateposted',
      'datedue',
      'termname',
      'batchkey',
      'action',
      'invoiceno',
      'ponumber',
      'description',
      'externalid',
      'billto',
      'shipto',
      ...CURRENCY,
      'nogl',
      'supdocid',
      'customfields',
      'taxsolutionid',
      'invoiceitems',
    ],
    required: ['customerid', 'datecreated', 'invoiceitems'],
    children: {
      datecreated: DATE,
      dateposted: DATE,
      datedue: DATE,
      exchratedate: DATE,
      billto: CONTACTREF,
      shipto: CONTACTREF,
      customfields: CUSTOMFIELDS,
      invoiceitems: {
        order: ['lineitem'],
        required: ['lineitem'],
        repeat: ['lineitem'],
        children: { lineitem: LINEITEM },
      },
    },
  },
  create_aradjustment: {
    order: [
      'customerid',
      'datecreated',
      'dateposted',
      'batchkey',
      'adjustmentno',
      'action',
      'invoiceno',
      'description',
      'externalid',
      ...CURRENCY,
      'nogl',
      'taxsolutionid',
      'aradjustmentitems',
    ],
    required: ['customerid', 'datecreated', 'aradjustmentitems'],
    children: {
      datecreated: DATE,
      dateposted: DATE,
      exchratedate: DATE,
      aradjustmentitems: {
        order: ['lineitem'],
        required: ['lineitem'],
        repeat: ['lineitem'],
        children: { lineitem: LINEITEM },
      },
    },
  },
  delete_customer: { order: [] },
};

/** Control block and login, validated for every request. */
export const CONTROL: Sequence = {
  order: [
    'appid',
    'senderid',
    'password',
    'controlid',
    'uniqueid',
    'dtdversion',
    'policyid',
    'debug',
    'includewhitespace',
    'showadditionalerrorinfo',
  ],
  required: ['senderid', 'controlid'],
};
export const LOGIN: Sequence = {
  order: ['userid', 'companyid', 'password', 'clientid', 'locationid'],
  required: ['userid', 'companyid', 'password'],
};

/** Throws XL03000003-style schema errors for unknown, missing, repeated or out-of-order children. */
export function validateSequence(node: XNode, schema: Sequence, path = node.name): void {
  let last = -1;
  const seen = new Set<string>();
  for (const c of node.children) {
    const index = schema.order.indexOf(c.name);
    if (index < 0)
      throw new SimSchemaError(`XML Parse schema error: Element '${c.name}' is not expected in ${path}`);
    if (index < last || (seen.has(c.name) && !schema.repeat?.includes(c.name))) {
      throw new SimSchemaError(
        `XML Parse schema error: Element '${c.name}' is out of order in ${path}; expected order: ${schema.order.join(', ')}`,
      );
    }
    last = index;
    seen.add(c.name);
    const sub = schema.children?.[c.name];
    if (sub) validateSequence(c, sub, `${path}/${c.name}`);
  }
  for (const r of schema.required ?? []) {
    if (!seen.has(r))
      throw new SimSchemaError(`XML Parse schema error: Element '${r}' is required in ${path}`);
  }
}
