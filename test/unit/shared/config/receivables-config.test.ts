import { describe, expect, it } from 'vitest';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

type Row = Record<string, unknown>;

/** The shipped config with one flow changed. */
function withFlow(name: string, change: (flow: Row) => void): Row {
  const raw = structuredClone(shippedConfigJson()) as { flows: Row[] };
  change(raw.flows.find((f) => f.name === name) as Row);
  return raw;
}

describe('receivables config', () => {
  it('names a lookup through a flow that does not exist, with the flows there are', () => {
    const found = configProblems(
      withFlow('ar-payments', (f) => {
        ((f.target as Row).lookups as Row[])[1] = {
          salesforce: 'Invoice__c',
          via: 'invoices',
          intacct: ['RECORDNO'],
        };
      }),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /flows\.\d+\.target\.lookups\.1\.via: flow "invoices" is not configured.*ar-invoices/,
      ),
    );
  });

  it('refuses a roll-up through a field the flow does not fill, and a sum without "of"', () => {
    const found = configProblems(
      withFlow('ar-invoices', (f) => {
        const rollups = (f.target as Row).rollups as Row[];
        (rollups[0] as Row).lookup = 'Owner__c';
        ((rollups[1] as Row).fields as Row[])[0] = { salesforce: 'Intacct_Balance_Due__c', aggregate: 'sum' };
      }),
    );
    expect(found).toContainEqual(
      expect.stringContaining('target.rollups.0.lookup: "Owner__c" is not one of'),
    );
    expect(found).toContainEqual(expect.stringContaining('target.rollups.1.fields.0.of: "sum" needs "of"'));
  });

  it('refuses a related read used before it is read', () => {
    const found = configProblems(
      withFlow('ar-payments', (f) => {
        const related = (f.target as Row).related as Row[];
        (f.target as Row).related = [related[1], related[0]];
      }),
    );
    expect(found).toContainEqual(expect.stringContaining('"DETAIL" is read after it is used'));
  });

  it('refuses two flows writing one roll-up field, and a fields projection without via', () => {
    const found = configProblems(
      withFlow('account-customer', (f) => {
        (f.fields as Row[]).push({
          salesforce: 'Intacct_Balance_Due__c',
          intacct: 'TOTALDUE',
          owner: 'intacct',
          transform: 'number',
        });
      }),
    );
    expect(found).toContainEqual(
      expect.stringContaining('Account.Intacct_Balance_Due__c is also written by flow'),
    );
    const noVia = configProblems(withFlow('item-stock', (f) => delete f.via));
    expect(noVia).toContainEqual(expect.stringContaining('via: name the mirror flow'));
  });

  it('checks an alert: its via is a mirror flow, its schedule exists, a state needs a condition', () => {
    const found = configProblems(
      withFlow('credit-status', (f) => {
        f.via = 'ar-invoices';
        f.poll = { schedule: 'hourly' };
      }),
    );
    expect(found).toContainEqual(expect.stringContaining('"ar-invoices" is a projection flow'));
    expect(found).toContainEqual(expect.stringContaining('schedule "hourly" is not defined'));
    const condition = configProblems(
      withFlow('credit-status', (f) => (f.states as Row[]).push({ name: 'Big', when: { type: 'huge' } })),
    );
    expect(condition).toContainEqual(expect.stringMatching(/states\.3\.when\.type/));
  });

  it('refuses a re-check on an unknown schedule or on the reconciliation', () => {
    const unknown = configProblems(
      withFlow('credit-status', (f) => {
        (f.poll as Row).recheck = 'nightly';
      }),
    );
    expect(unknown).toContainEqual(
      expect.stringContaining('poll.recheck: schedule "nightly" is not defined'),
    );
    const reconcile = configProblems(
      withFlow('ar-invoices', (f) => {
        (f.poll as Row).recheck = 'reconcile';
      }),
    );
    expect(reconcile).toContainEqual(
      expect.stringContaining('give the re-check a daily schedule of its own'),
    );
  });
});
