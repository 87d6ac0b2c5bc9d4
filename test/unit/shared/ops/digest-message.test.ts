import { describe, expect, it } from 'vitest';
import type { FailureRecord } from '#shared/aws/ledger.ts';
import { formatDigest } from '#shared/ops/digest-message.ts';

const failure = (n: number, extra: Partial<FailureRecord> = {}): FailureRecord => ({
  flow: 'opportunity-order',
  id: `m-${n}`,
  at: `2026-12-01T10:0${n}:00.000Z`,
  firstSeen: `2026-12-01T09:0${n}:00.000Z`,
  code: 'ITEM_NOT_IN_INTACCT',
  class: 'missing-reference',
  message: `line ${n}: product "Mystery box" (MYS-${n}) has no Intacct item`,
  hint: 'create the item in Intacct (or sync the product), then run sfi redrive',
  retryable: false,
  state: 'open',
  count: n,
  ids: { recordId: `006${n}`, salesforceId: `006${n}`, intacctKey: `SO-${n}` },
  ...extra,
});

const digest = (failures: FailureRecord[], maxListed = 50) =>
  formatDigest({
    flow: 'opportunity-order',
    failures,
    maxListed,
    windowStart: '2026-12-01T10:00:00.000Z',
    digestMinutes: 60,
  });

describe('failure digest message', () => {
  it('lists each failure with code, class, count, both IDs, cause and fix', () => {
    const { subject, text, attributes } = digest([failure(1), failure(2)]);
    expect(subject).toBe('sfi: 2 new failures in opportunity-order');
    expect(attributes).toEqual({ flow: 'opportunity-order', failures: 2 });
    expect(text).toContain(
      '1. ITEM_NOT_IN_INTACCT (missing-reference), once; first 2026-12-01T09:01:00.000Z',
    );
    expect(text).toContain('2. ITEM_NOT_IN_INTACCT (missing-reference), 2 times;');
    expect(text).toContain('record: 0062; Salesforce: 0062; Intacct: SO-2');
    expect(text).toContain('cause: line 2: product "Mystery box" (MYS-2) has no Intacct item');
    expect(text).toContain('fix: create the item in Intacct (or sync the product), then run sfi redrive');
  });

  it('names a missing ID as "-" and a missing hint as the generic next step', () => {
    const { text } = digest([failure(1, { ids: { recordId: '0061' }, hint: undefined })]);
    expect(text).toContain('record: 0061; Salesforce: -; Intacct: -');
    expect(text).toContain('fix: see the cause; then run sfi redrive');
  });

  it('lists at most maxListed and points to sfi failures for the rest', () => {
    const { subject, text } = digest([failure(1), failure(2), failure(3)], 2);
    expect(subject).toBe('sfi: 3 new failures in opportunity-order');
    expect(text).not.toContain('3. ITEM_NOT_IN_INTACCT');
    expect(text).toContain('...and 1 more: sfi failures --flow opportunity-order');
  });

  it('keeps the subject to SNS limits: ASCII, at most 100 characters', () => {
    const { subject } = formatDigest({
      flow: `f${'x'.repeat(120)}`,
      failures: [failure(1)],
      maxListed: 1,
      windowStart: '2026-12-01T10:00:00.000Z',
      digestMinutes: 60,
    });
    expect(subject.length).toBe(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
