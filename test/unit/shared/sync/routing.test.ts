import { describe, expect, it } from 'vitest';
import { dependencyOrder, routes } from '#shared/sync/routing.ts';

describe('routing changes to flows', () => {
  const flows = [
    { name: 'contacts', salesforceObject: 'Contact', intacctObject: 'CONTACT', parent: { flow: 'accounts' } },
    { name: 'accounts', salesforceObject: 'Account', intacctObject: 'CUSTOMER' },
    {
      name: 'vendors',
      salesforceObject: 'Account',
      intacctObject: 'VENDOR',
      direction: 'toSalesforce' as const,
    },
  ];

  it('sends a change to every flow of its object whose direction carries it', () => {
    const r = routes(flows);
    expect(r.flowsFor('salesforce', 'Account')).toEqual(['accounts']);
    expect(r.flowsFor('intacct', 'VENDOR')).toEqual(['vendors']);
    expect(r.flowsFor('salesforce', 'Lead')).toBeUndefined();
  });

  it('orders referenced flows before the flows that reference them', () => {
    expect(dependencyOrder(flows)).toEqual(['accounts', 'contacts', 'vendors']);
    // A cycle (refused by the config check) still yields every flow once.
    expect(
      dependencyOrder([
        { name: 'a', parent: { flow: 'b' } },
        { name: 'b', parent: { flow: 'a' } },
      ]),
    ).toEqual(['b', 'a']);
  });
});
