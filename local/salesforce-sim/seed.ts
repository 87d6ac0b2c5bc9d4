import type { RecordStore } from './store.ts';

/** IDs of the users every seed creates: the API integration user and a human admin. */
export type SeedUsers = { integrationUserId: string; adminUserId: string };

function user(store: RecordStore, username: string, name: string, createdBy: string): string {
  const id = String(
    store.create('User', { Username: username, Email: username, IsActive: true }, createdBy).Id,
  );
  store.patchSystem('User', id, { Name: name });
  return id;
}

/** What every org has: the two users and the standard price book. */
export function seedEmpty(
  store: RecordStore,
  integrationUsername: string,
): SeedUsers & { standardPricebookId: string } {
  const integrationUserId = user(store, integrationUsername, 'Integration User', '');
  store.patchSystem('User', integrationUserId, {
    CreatedById: integrationUserId,
    LastModifiedById: integrationUserId,
  });
  const adminUserId = user(store, 'admin@sim.example.com', 'Ada Admin', integrationUserId);
  // A multi-currency org: USD corporate, EUR and GBP active, JPY added but inactive.
  for (const [IsoCode, ConversionRate, IsActive] of [
    ['USD', 1, true],
    ['EUR', 0.92, true],
    ['GBP', 0.79, true],
    ['JPY', 150, false],
  ] as const) {
    const c = store.create(
      'CurrencyType',
      { IsoCode, ConversionRate, DecimalPlaces: 2, IsActive },
      adminUserId,
    );
    if (IsoCode === 'USD') store.patchSystem('CurrencyType', String(c.Id), { IsCorporate: true });
  }
  const book = store.create('Pricebook2', { Name: 'Standard Price Book', IsActive: true }, adminUserId);
  store.patchSystem('Pricebook2', String(book.Id), { IsStandard: true });
  return { integrationUserId, adminUserId, standardPricebookId: String(book.Id) };
}

/**
 * Demo data: accounts (one already linked to an Intacct customer), contacts, products with
 * standard and custom price book entries, and opportunities with line items (one closed won).
 */
export function seedDemo(store: RecordStore, integrationUsername: string): SeedUsers {
  const base = seedEmpty(store, integrationUsername);
  const by = base.adminUserId;
  const id = (object: string, fields: Record<string, unknown>) => String(store.create(object, fields, by).Id);

  const partnerBook = id('Pricebook2', { Name: 'Partner Price Book', IsActive: true });
  const products = [
    { Name: 'Widget Pro', ProductCode: 'WID-PRO', Family: 'Hardware', price: 120, partner: 99 },
    {
      Name: 'Widget Cloud Subscription',
      ProductCode: 'WID-SUB',
      Family: 'Software',
      price: 49.5,
      partner: 45,
    },
    { Name: 'Onboarding Services', ProductCode: 'SVC-ONB', Family: 'Services', price: 1500, partner: 1200 },
  ].map((p) => {
    const productId = id('Product2', {
      Name: p.Name,
      ProductCode: p.ProductCode,
      Family: p.Family,
      IsActive: true,
    });
    const std = id('PricebookEntry', {
      Pricebook2Id: base.standardPricebookId,
      Product2Id: productId,
      UnitPrice: p.price,
      IsActive: true,
    });
    const partner = id('PricebookEntry', {
      Pricebook2Id: partnerBook,
      Product2Id: productId,
      UnitPrice: p.partner,
      IsActive: true,
    });
    return { productId, std, partner };
  });

  const acme = id('Account', {
    Name: 'Acme Corporation',
    AccountNumber: 'ACME-001',
    Type: 'Customer - Direct',
    Phone: '+1 415 555 0100',
    BillingStreet: '1 Market Street\nSuite 300',
    BillingCity: 'San Francisco',
    BillingState: 'CA',
    BillingPostalCode: '94105',
    BillingCountry: 'United States',
  });
  const globex = id('Account', {
    Name: 'Globex GmbH',
    Type: 'Customer - Channel',
    BillingCity: 'Berlin',
    BillingCountry: 'Germany',
  });
  const initech = id('Account', {
    Name: "Initech & Sons 'Ltd'",
    Type: 'Prospect',
    BillingCountry: 'United Kingdom',
  });

  id('Contact', {
    AccountId: acme,
    FirstName: 'Wile',
    LastName: 'Coyote',
    Email: 'wile@acme.example.com',
    Title: 'CFO',
  });
  id('Contact', { AccountId: acme, FirstName: 'Road', LastName: 'Runner', Email: 'road@acme.example.com' });
  id('Contact', {
    AccountId: globex,
    FirstName: 'Hank',
    LastName: 'Scorpio',
    Email: 'hank@globex.example.com',
  });
  id('Contact', {
    AccountId: initech,
    FirstName: 'Peter',
    LastName: 'Gibbons',
    Email: 'peter@initech.example.com',
  });

  const [widget, sub, svc] = products;
  const open = id('Opportunity', {
    Name: 'Acme - Widgets 2026',
    AccountId: acme,
    StageName: 'Negotiation/Review',
    CloseDate: '2026-12-15',
  });
  if (widget && svc) {
    id('OpportunityLineItem', {
      OpportunityId: open,
      PricebookEntryId: widget.std,
      Quantity: 10,
      UnitPrice: 120,
    });
    id('OpportunityLineItem', {
      OpportunityId: open,
      PricebookEntryId: svc.std,
      Quantity: 1,
      UnitPrice: 1500,
    });
  }
  const won = id('Opportunity', {
    Name: 'Globex - Subscription',
    AccountId: globex,
    StageName: 'Closed Won',
    CloseDate: '2026-06-30',
    Pricebook2Id: partnerBook,
  });
  if (sub)
    id('OpportunityLineItem', {
      OpportunityId: won,
      PricebookEntryId: sub.partner,
      Quantity: 12,
      UnitPrice: 45,
    });
  return base;
}
