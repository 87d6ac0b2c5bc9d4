import { describe, expect, it } from 'vitest';
import type { AlertFlow } from '#shared/sync/flow-schema.ts';
import { evaluate } from '#shared/sync/kinds/alert/evaluate.ts';
import { figuresOf } from '#shared/sync/kinds/projection/rollups.ts';
import type { RecordsTarget } from '#shared/sync/records-schema.ts';

const rollup: RecordsTarget['rollups'][number] = {
  parent: 'Account',
  lookup: 'Account__c',
  fields: [
    { salesforce: 'Due', aggregate: 'sum', of: 'Due__c' },
    { salesforce: 'Overdue', aggregate: 'sum', of: 'Due__c', overdue: { field: 'Due_Date__c', days: 0 } },
    { salesforce: 'LastPaid', aggregate: 'max', of: 'Paid_On__c' },
    { salesforce: 'Status', aggregate: 'latest', of: 'State__c' },
    { salesforce: 'Invoices', aggregate: 'count' },
  ],
};

const child = (id: string, version: string, values: Record<string, string | null>) => ({
  id,
  version,
  values,
});

describe('roll-up figures', () => {
  it('sums, counts, takes the newest and the largest per parent; overdue only before today with something due', () => {
    const now = new Date('2026-06-15T12:00:00Z');
    const figures = figuresOf(
      rollup,
      [
        child('a', '2026-06-01T00:00:00Z', {
          Account__c: 'A',
          Due__c: '100.10',
          Due_Date__c: '2026-06-14',
          Paid_On__c: '2026-05-01',
          State__c: 'Posted',
        }),
        child('b', '2026-06-03T00:00:00Z', {
          Account__c: 'A',
          Due__c: '0',
          Due_Date__c: '2026-01-01',
          Paid_On__c: '2026-06-02',
          State__c: 'Paid',
        }),
        child('c', '2026-06-02T00:00:00Z', {
          Account__c: 'A',
          Due__c: '50.2',
          Due_Date__c: '2026-06-15',
          Paid_On__c: null,
          State__c: 'Posted',
        }),
      ],
      ['A', 'B'],
      now,
    );
    expect(figures.get('A')).toEqual({
      Due: '150.3',
      Overdue: '100.1',
      LastPaid: '2026-06-02',
      Status: 'Paid',
      Invoices: '3',
    });
    // A parent whose last child moved away goes back to nothing.
    expect(figures.get('B')).toEqual({ Due: '0', Overdue: '0', LastPaid: null, Status: null, Invoices: '0' });
  });
});

const flow = {
  okState: 'OK',
  states: [
    { name: 'On hold', when: { type: 'flag', field: 'ONHOLD' } },
    { name: 'Over limit', when: { type: 'over-limit', total: 'TOTALDUE', limit: 'CREDITLIMIT' } },
    {
      name: 'Overdue',
      when: {
        type: 'overdue',
        days: 30,
        object: 'ARINVOICE',
        keyField: 'CUSTOMERID',
        dueField: 'WHENDUE',
        amountField: 'TOTALDUE',
      },
    },
  ],
} as unknown as AlertFlow;

describe('alert state', () => {
  it('takes the first state whose condition holds, and keeps the figures it looked at', () => {
    const overdue = { count: 2, amount: 300, oldest: '2026-01-01' };
    expect(evaluate(flow, { ONHOLD: 'true', TOTALDUE: '5000', CREDITLIMIT: '1000' }, overdue)).toMatchObject({
      state: 'On hold',
      figures: { ONHOLD: 'true', TOTALDUE: '5000', CREDITLIMIT: '1000', 'overdue invoices': '2' },
    });
    expect(evaluate(flow, { ONHOLD: 'false', TOTALDUE: '5000', CREDITLIMIT: '1000' }, overdue).state).toBe(
      'Over limit',
    );
    expect(evaluate(flow, { ONHOLD: 'false', TOTALDUE: '500', CREDITLIMIT: '1000' }, overdue).state).toBe(
      'Overdue',
    );
    expect(
      evaluate(flow, { ONHOLD: 'false', TOTALDUE: '500', CREDITLIMIT: '1000' }, { count: 0, amount: 0 })
        .state,
    ).toBe('OK');
  });

  it('treats a blank or zero credit limit as no limit', () => {
    const none = { count: 0, amount: 0 };
    expect(evaluate(flow, { ONHOLD: 'false', TOTALDUE: '5000', CREDITLIMIT: '' }, none).state).toBe('OK');
    expect(evaluate(flow, { ONHOLD: 'false', TOTALDUE: '5000', CREDITLIMIT: '0' }, none).state).toBe('OK');
  });
});
