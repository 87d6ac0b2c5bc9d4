/**
 * Going live with a document flow must not bill the org's history: its first poll starts when the
 * flow goes live (or at `startFrom`), not at the beginning of time as a mirror's go-live poll does.
 * No overlap window here, so "before go-live" is a second ago.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/local-stack.ts';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import {
  documentConfig,
  documentsOf,
  quietPoll,
  startDocumentStack,
  wonOpportunity,
} from '../../helpers/documents.ts';

const base = documentConfig();
const config = parseSyncConfig({ ...base, delta: { ...base.delta, overlapSeconds: 0 } });

describe('a document flow going live', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startDocumentStack(config, [{ id: 'G-1', name: 'Widget', price: 10 }]);
  });
  afterAll(() => stack.stop(2000));

  it('leaves deals won before its first poll alone and makes documents of those won after it', async () => {
    const history = wonOpportunity(stack, {
      account: { Name: 'Old Customer Inc' },
      closeDate: '2025-03-31',
      lines: [{ product: 'G-1', quantity: 1, price: 10 }],
    });
    await new Promise((r) => setTimeout(r, 1100));
    await quietPoll(stack, 'salesforce-delta');
    expect(documentsOf(stack, history.opportunityId)).toEqual([]);
    // The account flow's go-live poll still read everything: the old deal's account is linked.
    expect(stack.salesforce.record('Account', history.accountId)?.Intacct_Customer_Id__c).toBeTruthy();

    await new Promise((r) => setTimeout(r, 1100));
    const fresh = wonOpportunity(stack, {
      account: { Name: 'New Customer Ltd' },
      lines: [{ product: 'G-1', quantity: 2, price: 10 }],
    });
    await new Promise((r) => setTimeout(r, 1100));
    await quietPoll(stack, 'salesforce-delta');
    expect(documentsOf(stack, fresh.opportunityId)).toHaveLength(1);
    expect(documentsOf(stack, history.opportunityId)).toEqual([]);
  });
});
