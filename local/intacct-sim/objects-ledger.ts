/**
 * General ledger detail and revenue recognition objects, read-only through the API (the simulator
 * fills them through its seed helpers and post_/unpost_revrecscheduleentry).
 *
 * GLDETAIL fields: the docs' query examples and filters (MODULEKEY, BOOKID, BATCH_DATE,
 * BATCH_TITLE, TRX_AMOUNT, JOURNAL.SYMBOL; DOCS-MD `general-ledger-general-ledger-detail.md`) and
 * the column list of a replicated GL detail table (fivetran/dbt_sage_intacct_source
 * `stg_sage_intacct__gl_detail.sql`); CUSTOMERID, LOCATIONID and CURRENCY as dimension fields are
 * [unverified]. REVRECSCHEDULE(ENTRY) fields: the reference §5.9 and the docs (DOCENTRYKEY,
 * STATUS codes, POSTINGDATE, ACCOUNTNO, TRX_AMOUNT); REVRECSCHEDULEKEY, CUSTOMERID, POSTED_AMOUNT,
 * GLBATCHKEY on entries come from a third-party replicated table [unverified].
 */
import { AUDIT, BOOL_CODES, type ObjectDef } from './object-def.ts';

const CUSTOMER_REL = {
  CUSTOMER: { object: 'CUSTOMER', localField: 'CUSTOMERID', remoteField: 'CUSTOMERID' },
};

/** Schedule status display values and their stored codes (docs: N, P, C, H, D, X). */
export const SCHEDULE_STATUS_CODES: Record<string, string> = {
  'Not Started': 'N',
  'In Progress': 'P',
  Completed: 'C',
  'On Hold': 'H',
  Terminated: 'D',
  'Partially Terminated': 'X',
};

export const LEDGER_OBJECTS: Record<string, ObjectDef> = {
  GLDETAIL: {
    name: 'GLDETAIL',
    label: 'General Ledger Detail',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'ACCOUNTNO',
      'ACCOUNTTITLE',
      'BOOKID',
      'BATCHKEY',
      'BATCH_NO',
      'BATCH_TITLE',
      'BATCH_DATE',
      'ENTRY_DATE',
      'ENTRY_STATE',
      'LINE_NO',
      'TR_TYPE',
      'AMOUNT',
      'DEBITAMOUNT',
      'CREDITAMOUNT',
      'TRX_AMOUNT',
      'TRX_DEBITAMOUNT',
      'TRX_CREDITAMOUNT',
      'CURRENCY',
      'BASECURR',
      'CUSTOMERID',
      'VENDORID',
      'DEPARTMENTID',
      'LOCATIONID',
      'ITEMID',
      'MODULEKEY',
      'RECORDTYPE',
      'RECORDID',
      'DOCNUMBER',
      'DESCRIPTION',
      'ENTRYDESCRIPTION',
      'JOURNAL',
      ...AUDIT,
    ],
    relations: CUSTOMER_REL,
  },
  REVRECSCHEDULE: {
    name: 'REVRECSCHEDULE',
    label: 'Revenue Recognition Schedule',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'REVRECTEMPLATEID',
      'RECMETHOD',
      'STATUS',
      'DOCENTRYKEY',
      'DOCID',
      'INVOICENO',
      'CUSTOMERID',
      'DESCRIPTION',
      ...AUDIT,
    ],
    codes: { STATUS: SCHEDULE_STATUS_CODES },
    relations: CUSTOMER_REL,
  },
  REVRECSCHEDULEENTRY: {
    name: 'REVRECSCHEDULEENTRY',
    label: 'Revenue Recognition Schedule Entry',
    required: [],
    genericCreate: false,
    readOnly: [],
    fields: [
      'REVRECSCHEDULEKEY',
      'DOCENTRYKEY',
      'POSTINGDATE',
      'ACCOUNTNO',
      'DEFERREDREVACCOUNTNO',
      'AMOUNT',
      'TRX_AMOUNT',
      'POSTED',
      'POSTED_AMOUNT',
      'ACTUALPOSTINGDATE',
      'GLBATCHKEY',
      'CURRENCY',
      'BASECURR',
      'CUSTOMERID',
      'CUSTOMERNAME',
      'ITEMID',
      'DEPARTMENTID',
      'LOCATIONID',
      'DESCRIPTION',
      ...AUDIT,
    ],
    codes: { POSTED: BOOL_CODES },
    relations: {
      ...CUSTOMER_REL,
      REVRECSCHEDULE: { object: 'REVRECSCHEDULE', localField: 'REVRECSCHEDULEKEY', remoteField: 'RECORDNO' },
    },
  },
};
