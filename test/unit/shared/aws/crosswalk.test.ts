import { beforeEach, describe, expect, it } from 'vitest';
import { TableCrosswalk } from '#shared/aws/crosswalk.ts';
import { expression, MemoryKvTable } from '#shared/aws/kv-table.ts';
import type { Link } from '#shared/sync/ports.ts';

const link = (over: Partial<Link> = {}): Link => ({
  flow: 'f',
  salesforceId: '001A',
  intacctKey: 'K1',
  lastAction: 'create',
  lastAt: '2026-11-01T00:00:00.000Z',
  lastReason: 'delta',
  ...over,
});

describe('crosswalk on a table with conditional writes', () => {
  let table: MemoryKvTable;
  let now: number;
  let crosswalk: TableCrosswalk;
  beforeEach(() => {
    table = new MemoryKvTable();
    now = Date.parse('2026-11-01T00:00:00Z');
    crosswalk = new TableCrosswalk(table, () => now);
  });

  it('writes a new link with its pointer and finds it by either ID', async () => {
    const [result] = await crosswalk.write([{ link: link(), expected: undefined }]);
    expect(result).toEqual({ ok: true, link: expect.objectContaining({ rev: 1 }) });
    expect((await crosswalk.bySalesforceIds('f', ['001A'])).get('001A')?.intacctKey).toBe('K1');
    expect((await crosswalk.byIntacctKeys('f', ['K1'])).get('K1')?.salesforceId).toBe('001A');
    expect(table.counters.writes).toBe(2);
  });

  it('refuses a second create of one link and a write from a revision that is no longer stored', async () => {
    await crosswalk.write([{ link: link(), expected: undefined }]);
    const [again] = await crosswalk.write([{ link: link({ lastAction: 'other' }), expected: undefined }]);
    expect(again).toMatchObject({ ok: false, reason: 'conflict', current: { rev: 1, lastAction: 'create' } });
    const stored = (await crosswalk.bySalesforceIds('f', ['001A'])).get('001A') as Link;
    const [first] = await crosswalk.write([{ link: { ...stored, lastAction: 'update' }, expected: stored }]);
    expect(first).toMatchObject({ ok: true, link: { rev: 2 } });
    // A second writer that read revision 1 too loses, and is told what is stored now.
    const [second] = await crosswalk.write([{ link: { ...stored, lastAction: 'late' }, expected: stored }]);
    expect(second).toMatchObject({
      ok: false,
      reason: 'conflict',
      current: { rev: 2, lastAction: 'update' },
    });
  });

  it('follows a key change: the new key finds the link, the old pointer is gone', async () => {
    const [created] = await crosswalk.write([{ link: link(), expected: undefined }]);
    const stored = (created as { link: Link }).link;
    await crosswalk.write([{ link: { ...stored, intacctKey: 'K2' }, expected: stored }]);
    expect((await crosswalk.byIntacctKeys('f', ['K2'])).get('K2')?.salesforceId).toBe('001A');
    expect((await crosswalk.byIntacctKeys('f', ['K1'])).size).toBe(0);
    expect([...table.items.values()].filter((i) => i.sk === 'ptr').map((i) => i.intacctKey)).toEqual(['K2']);
  });

  it('does not answer through a pointer whose link no longer carries the key', async () => {
    await crosswalk.write([{ link: link(), expected: undefined }]);
    // The link moved on to another key without its pointers (a crash between the two writes).
    const stored = (await crosswalk.bySalesforceIds('f', ['001A'])).get('001A') as Link;
    await table.put({ pk: 'f#sf#001A', sk: 'link', ...stored, intacctKey: 'K9', rev: 2 });
    expect((await crosswalk.byIntacctKeys('f', ['K1'])).size).toBe(0);
    // The stale pointer is taken over by the record that now links K1.
    const [taken] = await crosswalk.write([{ link: link({ salesforceId: '001B' }), expected: undefined }]);
    expect(taken).toMatchObject({ ok: true });
    expect((await crosswalk.byIntacctKeys('f', ['K1'])).get('K1')?.salesforceId).toBe('001B');
  });

  it('refuses to link an Intacct key that another live link holds', async () => {
    await crosswalk.write([{ link: link(), expected: undefined }]);
    const [result] = await crosswalk.write([{ link: link({ salesforceId: '001B' }), expected: undefined }]);
    expect(result).toMatchObject({ ok: false, reason: 'key-taken', other: { salesforceId: '001A' } });
    expect((await crosswalk.bySalesforceIds('f', ['001B'])).size).toBe(0);
  });

  it('removes a link and its pointer only at the revision given', async () => {
    const [created] = await crosswalk.write([{ link: link(), expected: undefined }]);
    const stored = (created as { link: Link }).link;
    expect(await crosswalk.remove({ ...stored, rev: 7 })).toBe(false);
    expect(await crosswalk.remove(stored)).toBe(true);
    expect(table.items.size).toBe(0);
  });

  it('respects a live claim of another owner, lets it expire, and re-grants the holder', async () => {
    expect(await crosswalk.claim('f', 'create#x', 'inv-1', 120)).toEqual({ held: true });
    expect(await crosswalk.claim('f', 'create#x', 'inv-2', 120)).toEqual({
      held: false,
      until: '2026-11-01T00:02:00.000Z',
    });
    expect(await crosswalk.claim('f', 'create#x', 'inv-1', 120)).toEqual({ held: true });
    now += 121_000;
    expect(await crosswalk.claim('f', 'create#x', 'inv-2', 120)).toEqual({ held: true });
  });

  it('claims an Intacct key for one Salesforce record; the link then keeps the pointer', async () => {
    expect(await crosswalk.claimKey('f', 'K1', '001A', 'inv-1', 120)).toEqual({ held: true });
    expect(await crosswalk.claimKey('f', 'K1', '001A', 'inv-2', 120)).toMatchObject({ held: false });
    const writes = table.counters.writes;
    await crosswalk.write([{ link: link(), expected: undefined, keyClaimed: true }]);
    expect(table.counters.writes - writes).toBe(1);
    expect((await crosswalk.byIntacctKeys('f', ['K1'])).get('K1')?.salesforceId).toBe('001A');
    // Another record cannot claim a key that is linked.
    expect(await crosswalk.claimKey('f', 'K1', '001B', 'inv-3', 120)).toMatchObject({
      held: false,
      other: { salesforceId: '001A' },
    });
  });
});

describe('DynamoDB condition expressions', () => {
  it('renders conditions with placeholders for names and values', () => {
    expect(
      expression({
        or: [
          { absent: true },
          { and: [{ eq: ['rev', 3] }, { lt: ['expiresAt', 10] }] },
          { missing: 'owner' },
        ],
      }),
    ).toEqual({
      ConditionExpression:
        '(attribute_not_exists(#a0) OR (#a1 = :v2 AND #a3 < :v4) OR attribute_not_exists(#a5))',
      ExpressionAttributeNames: { '#a0': 'pk', '#a1': 'rev', '#a3': 'expiresAt', '#a5': 'owner' },
      ExpressionAttributeValues: { ':v2': 3, ':v4': 10 },
    });
    expect(expression({ absent: true })).not.toHaveProperty('ExpressionAttributeValues');
  });
});
