import type { OpContext } from './context.ts';
import { createDisplayContact, prepareMasterData } from './master-data.ts';
import { OBJECTS } from './objects.ts';
import { insert } from './records.ts';
import { seedReceivables } from './seed-receivables.ts';
import { moveStock } from './stock.ts';
import type { FieldMap } from './xml.ts';

/** Seeds understood by the simulator. */
export type SeedName = 'demo' | 'empty' | 'entities';

const customer = (id: string, name: string, email: string, city: string, extra: FieldMap = {}): FieldMap => ({
  CUSTOMERID: id,
  NAME: name,
  DISPLAYCONTACT: {
    PRINTAS: name,
    COMPANYNAME: name,
    EMAIL1: email,
    PHONE1: '555-0100',
    MAILADDRESS: { ADDRESS1: '1 Main Street', CITY: city, STATE: '', ZIP: '00000', COUNTRY: 'United States' },
  },
  TERMNAME: 'Net 30',
  CURRENCY: 'USD',
  CREDITLIMIT: '50000.00',
  ...extra,
});

/** The demo company's two entities, E100 (US, USD) and E200 (UK, GBP), and nothing else. */
export function seedEntities(store: OpContext['store']): void {
  store.entities.push(
    { id: 'E100', name: 'US Operations', recordNo: 1, baseCurrency: 'USD', currencies: ['USD', 'CAD'] },
    {
      id: 'E200',
      name: 'UK Operations',
      recordNo: 2,
      baseCurrency: 'GBP',
      currencies: ['GBP', 'EUR', 'USD'],
    },
  );
}

/**
 * A small realistic company: two entities (E100 US, E200 UK), shared customers with display
 * contacts, one customer private to E200, contacts, items of several types, one vendor.
 */
export function seedDemo(ctxFor: (entityId: string) => OpContext): void {
  const top = ctxFor('');
  seedEntities(top.store);
  const add = (ctx: OpContext, object: string, fields: FieldMap) => {
    const def = OBJECTS[object];
    if (!def) return;
    const prepared = prepareMasterData(ctx, def, fields);
    if (object === 'CUSTOMER' || object === 'VENDOR') createDisplayContact(ctx, prepared);
    insert(ctx, object, prepared);
  };
  add(top, 'CUSTOMER', customer('C-1001', 'Acme Corporation', 'ap@acme.example', 'Springfield'));
  add(top, 'CUSTOMER', customer('C-1002', 'Globex Inc', 'billing@globex.example', 'Cypress Creek'));
  add(top, 'CUSTOMER', customer('C-1003', 'Initech LLC', 'accounts@initech.example', 'Austin'));
  add(
    top,
    'CUSTOMER',
    customer('C-1004', 'Umbrella Holdings', 'finance@umbrella.example', 'Raccoon City', { ONHOLD: 'true' }),
  );
  add(
    top,
    'CUSTOMER',
    customer('C-1005', "Jane's Deli", 'jane@deli.example', 'Portland', { STATUS: 'inactive' }),
  );
  add(
    ctxFor('E200'),
    'CUSTOMER',
    customer('C-2001', 'Hooli UK Ltd', 'ap@hooli.example', 'London', { CURRENCY: 'GBP' }),
  );
  add(top, 'CONTACT', {
    CONTACTNAME: 'Wile E. Coyote',
    PRINTAS: 'Wile E. Coyote',
    FIRSTNAME: 'Wile',
    LASTNAME: 'Coyote',
    EMAIL1: 'wile@acme.example',
    COMPANYNAME: 'Acme Corporation',
  });
  add(top, 'CONTACT', {
    CONTACTNAME: 'Hank Scorpio',
    PRINTAS: 'Hank Scorpio',
    FIRSTNAME: 'Hank',
    LASTNAME: 'Scorpio',
    EMAIL1: 'hank@globex.example',
    COMPANYNAME: 'Globex Inc',
  });
  add(top, 'ITEM', {
    ITEMID: 'SKU-100',
    NAME: 'Widget',
    ITEMTYPE: 'Inventory',
    BASEPRICE: '25.00',
    UOMGRP: 'Each',
    GLGROUP: 'Hardware',
  });
  add(top, 'ITEM', {
    ITEMID: 'SKU-200',
    NAME: 'Gadget Pro',
    ITEMTYPE: 'Non-Inventory (Sales only)',
    BASEPRICE: '199.00',
  });
  add(top, 'ITEM', {
    ITEMID: 'SVC-IMPL',
    NAME: 'Implementation services (hour)',
    ITEMTYPE: 'Non-Inventory',
    BASEPRICE: '150.00',
  });
  add(top, 'ITEM', {
    ITEMID: 'SUB-ANNUAL',
    NAME: 'Annual subscription',
    ITEMTYPE: 'Non-Inventory (Sales only)',
    BASEPRICE: '12000.00',
  });
  // Also sold in Salesforce under this code: go-live matching links the two, and the org's
  // closed-won deal for it becomes a sales order.
  add(top, 'ITEM', {
    ITEMID: 'WID-SUB',
    NAME: 'Widget Cloud Subscription',
    ITEMTYPE: 'Non-Inventory (Sales only)',
    BASEPRICE: '49.50',
  });
  add(top, 'ITEM', {
    ITEMID: 'SKU-OLD',
    NAME: 'Discontinued widget',
    ITEMTYPE: 'Inventory',
    STATUS: 'inactive',
    BASEPRICE: '10.00',
  });
  add(top, 'WAREHOUSE', { WAREHOUSEID: 'WH-EAST', NAME: 'East coast warehouse' });
  add(top, 'WAREHOUSE', { WAREHOUSEID: 'WH-WEST', NAME: 'West coast warehouse' });
  moveStock(top, 'SKU-100', 'WH-EAST', { QTYONHAND: 100, QTYONHOLD: 10 });
  moveStock(top, 'SKU-100', 'WH-WEST', { QTYONHAND: 40, QTYRESERVED: 10 });
  add(top, 'VENDOR', {
    VENDORID: 'V-100',
    NAME: 'Parts Supplier Co',
    DISPLAYCONTACT: { PRINTAS: 'Parts Supplier Co', EMAIL1: 'ar@parts.example' },
  });
  seedReceivables(top);
}
