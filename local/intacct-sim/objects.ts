/** What the simulator knows about an object type. */
export interface ObjectDef {
  name: string;
  label: string;
  /** Natural ID field (readByName keys, duplicate check); undefined when there is none. */
  idField?: string;
  /** Dotted paths that a generic create must carry. */
  required: string[];
  /** Generic create/update/delete allowed (otherwise only legacy functions write it). */
  genericCreate: boolean;
  /** Server-maintained fields a write cannot set. */
  readOnly: string[];
  /** Documented fields, for lookup/inspect and select validation (records may carry more). */
  fields: string[];
  /** Stored codes readByQuery filters on, by field: display value → code. */
  codes?: Record<string, Record<string, string>>;
  /** Many-to-one relations usable in dotted query fields: name → (object, local field, remote field). */
  relations?: Record<string, { object: string; localField: string; remoteField: string }>;
}

/** The per-warehouse quantities the simulator keeps (names unverified against a real company). */
export const STOCK_QUANTITIES = [
  'QTYONHAND',
  'QTYONORDER',
  'QTYONHOLD',
  'QTYRESERVED',
  'QTYALLOCATED',
  'QTYINTRANSIT',
] as const;

const AUDIT = [
  'RECORDNO',
  'WHENCREATED',
  'WHENMODIFIED',
  'CREATEDBY',
  'MODIFIEDBY',
  'MEGAENTITYKEY',
  'MEGAENTITYID',
  'MEGAENTITYNAME',
];
const STATUS_CODES = { active: 'T', inactive: 'F' };
const BOOL_CODES = { true: 'T', false: 'F' };
const CUSTOMER_REL = {
  CUSTOMER: { object: 'CUSTOMER', localField: 'CUSTOMERID', remoteField: 'CUSTOMERID' },
};

/** The objects the simulator implements, with the rules the reference documents. */
export const OBJECTS: Record<string, ObjectDef> = {
  CUSTOMER: {
    name: 'CUSTOMER',
    label: 'Customer',
    idField: 'CUSTOMERID',
    required: ['CUSTOMERID', 'NAME', 'DISPLAYCONTACT.PRINTAS'],
    genericCreate: true,
    readOnly: ['TOTALDUE', 'ENTITY', 'DISPLAYCONTACTKEY', 'LAST_INVOICEDATE'],
    fields: [
      'CUSTOMERID',
      'NAME',
      'STATUS',
      'ONETIME',
      'ONHOLD',
      'CUSTTYPE',
      'PARENTID',
      'TERMNAME',
      'CREDITLIMIT',
      'TOTALDUE',
      'CURRENCY',
      'COMMENTS',
      'DISPLAYCONTACT',
      'BILLTO',
      'SHIPTO',
      'CONTACTINFO',
      'OBJECTRESTRICTION',
      'ENTITY',
      'DISPLAYCONTACTKEY',
      'LAST_INVOICEDATE',
      ...AUDIT,
    ],
    codes: { STATUS: STATUS_CODES, ONHOLD: BOOL_CODES, ONETIME: BOOL_CODES },
  },
  CONTACT: {
    name: 'CONTACT',
    label: 'Contact',
    idField: 'CONTACTNAME',
    required: ['CONTACTNAME', 'PRINTAS'],
    genericCreate: true,
    readOnly: [],
    fields: [
      'CONTACTNAME',
      'PRINTAS',
      'COMPANYNAME',
      'TAXABLE',
      'PREFIX',
      'FIRSTNAME',
      'LASTNAME',
      'INITIAL',
      'PHONE1',
      'PHONE2',
      'CELLPHONE',
      'FAX',
      'EMAIL1',
      'EMAIL2',
      'URL1',
      'STATUS',
      'MAILADDRESS',
      ...AUDIT,
    ],
    codes: { STATUS: STATUS_CODES, TAXABLE: BOOL_CODES },
  },
  ITEM: {
    name: 'ITEM',
    label: 'Item',
    idField: 'ITEMID',
    required: ['ITEMID', 'NAME', 'ITEMTYPE'],
    genericCreate: true,
    readOnly: [],
    fields: [
      'ITEMID',
      'NAME',
      'ITEMTYPE',
      'STATUS',
      'PRODUCTLINEID',
      'COST_METHOD',
      'EXTENDED_DESCRIPTION',
      'SODESCRIPTION',
      'BASEPRICE',
      'STANDARD_COST',
      'TAXABLE',
      'UOMGRP',
      'GLGROUP',
      ...AUDIT,
    ],
    codes: {
      STATUS: STATUS_CODES,
      TAXABLE: BOOL_CODES,
      ITEMTYPE: {
        Inventory: 'I',
        'Non-Inventory': 'NI',
        'Non-Inventory (Purchase only)': 'NP',
        'Non-Inventory (Sales only)': 'NS',
        Kit: 'K',
        'Stockable Kit': 'SK',
      },
    },
  },
  WAREHOUSE: {
    name: 'WAREHOUSE',
    label: 'Warehouse',
    idField: 'WAREHOUSEID',
    required: ['WAREHOUSEID', 'NAME'],
    genericCreate: true,
    readOnly: [],
    fields: ['WAREHOUSEID', 'NAME', 'STATUS', ...AUDIT],
    codes: { STATUS: STATUS_CODES },
  },
  /**
   * Quantities per item and warehouse ("Item warehouse details"). Read-only through the API: stock
   * moves by inventory transactions (the simulator's `moveStock`). The quantity field names are
   * the simulator's choice: the XML names are unverified (reference §5.3), so flows name them in config.
   */
  ITEMWAREHOUSEINFO: {
    name: 'ITEMWAREHOUSEINFO',
    label: 'Item warehouse details',
    required: ['ITEMID', 'WAREHOUSEID'],
    genericCreate: false,
    readOnly: [],
    fields: ['ITEMID', 'WAREHOUSEID', ...STOCK_QUANTITIES, ...AUDIT],
  },
  /** Audit trail rows (the simulator writes deletes only); read with `query`. */
  AUDITHISTORY: {
    name: 'AUDITHISTORY',
    label: 'Audit history',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: ['RECORDNO', 'OBJECTTYPE', 'OBJECTKEY', 'ACCESSMODE', 'ACCESSTIME', 'USERID', 'SOURCE'],
  },
  VENDOR: {
    name: 'VENDOR',
    label: 'Vendor',
    idField: 'VENDORID',
    required: ['VENDORID', 'NAME'],
    genericCreate: true,
    readOnly: ['TOTALDUE'],
    fields: [
      'VENDORID',
      'NAME',
      'STATUS',
      'VENDTYPE',
      'TERMNAME',
      'CREDITLIMIT',
      'TOTALDUE',
      'DISPLAYCONTACT',
      'ONETIME',
      ...AUDIT,
    ],
    codes: { STATUS: STATUS_CODES, ONETIME: BOOL_CODES },
  },
  SODOCUMENT: {
    name: 'SODOCUMENT',
    label: 'Sales Transaction',
    idField: 'DOCID',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'DOCNO',
      'DOCID',
      'DOCPARID',
      'STATE',
      'CUSTVENDID',
      'CUSTVENDNAME',
      'WHENDUE',
      'PONUMBER',
      'REFERENCENO',
      'MESSAGE',
      'SUBTOTAL',
      'TOTAL',
      'CURRENCY',
      'PRRECORDKEY',
      'EXTERNALID',
      'SODOCUMENTENTRIES',
      ...AUDIT,
    ],
    codes: {
      STATE: {
        Submitted: 'S',
        Approved: 'A',
        'Partially Approved': 'X',
        Declined: 'R',
        Draft: 'I',
        Pending: 'O',
        Closed: 'D',
        'In Progress': 'G',
        Converted: 'C',
        'Partially Converted': 'P',
      },
    },
    relations: { CUSTOMER: { object: 'CUSTOMER', localField: 'CUSTVENDID', remoteField: 'CUSTOMERID' } },
  },
  ARINVOICE: {
    name: 'ARINVOICE',
    label: 'AR Invoice',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'RECORDID',
      'STATE',
      'CUSTOMERID',
      'CUSTOMERNAME',
      'DOCNUMBER',
      'TERMNAME',
      'WHENPOSTED',
      'WHENDUE',
      'WHENPAID',
      'DESCRIPTION',
      'CURRENCY',
      'BASECURR',
      'TOTALENTERED',
      'TOTALPAID',
      'TOTALDUE',
      'TRX_TOTALENTERED',
      'TRX_TOTALPAID',
      'TRX_TOTALDUE',
      'MODULEKEY',
      'SODOCUMENTKEY',
      'ARINVOICEITEMS',
      ...AUDIT,
    ],
    relations: CUSTOMER_REL,
  },
  ARPYMT: {
    name: 'ARPYMT',
    label: 'AR Payment',
    required: ['PAYMENTMETHOD', 'RECEIPTDATE', 'CUSTOMERID', 'ARPYMTDETAILS.ARPYMTDETAIL'],
    genericCreate: true,
    readOnly: ['STATE', 'TOTALENTERED', 'TOTALPAID'],
    fields: [
      'PAYMENTMETHOD',
      'RECEIPTDATE',
      'PAYMENTDATE',
      'CUSTOMERID',
      'DOCNUMBER',
      'DESCRIPTION',
      'CURRENCY',
      'STATE',
      'FINANCIALENTITY',
      'UNDEPOSITEDACCOUNTNO',
      'TOTALENTERED',
      'TOTALPAID',
      'WHENPAID',
      'ARPYMTDETAILS',
      ...AUDIT,
    ],
    relations: CUSTOMER_REL,
  },
  ARADJUSTMENT: {
    name: 'ARADJUSTMENT',
    label: 'AR Adjustment',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'RECORDID',
      'STATE',
      'CUSTOMERID',
      'CUSTOMERNAME',
      'ADJUSTMENTTYPE',
      'DESCRIPTION',
      'INVOICENO',
      'WHENPOSTED',
      'TOTALENTERED',
      'TOTALDUE',
      'TOTALPAID',
      'CURRENCY',
      'ARADJUSTMENTITEMS',
      ...AUDIT,
    ],
    relations: CUSTOMER_REL,
  },
  APBILL: {
    name: 'APBILL',
    label: 'AP Bill',
    required: ['VENDORID', 'WHENCREATED', 'APBILLITEMS.APBILLITEM'],
    genericCreate: true,
    readOnly: ['STATE', 'TOTALENTERED', 'TOTALDUE', 'TOTALPAID'],
    fields: [
      'RECORDID',
      'VENDORID',
      'VENDORNAME',
      'DOCNUMBER',
      'DESCRIPTION',
      'TERMNAME',
      'WHENPOSTED',
      'WHENDUE',
      'STATE',
      'CURRENCY',
      'TOTALENTERED',
      'TOTALDUE',
      'TOTALPAID',
      'APBILLITEMS',
      ...AUDIT,
    ],
    relations: { VENDOR: { object: 'VENDOR', localField: 'VENDORID', remoteField: 'VENDORID' } },
  },
};

/** The definition, or undefined for an object the simulator does not know. */
export function objectDef(name: string): ObjectDef | undefined {
  return OBJECTS[name.toUpperCase()];
}
