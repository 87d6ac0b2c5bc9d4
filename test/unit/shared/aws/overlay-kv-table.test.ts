import { describe, expect, it } from 'vitest';
import { TableCrosswalk } from '#shared/aws/crosswalk.ts';
import { MemoryKvTable } from '#shared/aws/kv-table.ts';
import { OverlayKvTable } from '#shared/aws/overlay-kv-table.ts';
import type { Link } from '#shared/sync/ports.ts';

const link = (salesforceId: string, intacctKey: string): Link => ({
  flow: 'f',
  salesforceId,
  intacctKey,
  lastAction: 'create',
  lastAt: '2026-11-01T00:00:00.000Z',
  lastReason: 'delta',
});

describe('OverlayKvTable', () => {
  it('reads through to the base until it writes a key, and never writes the base', async () => {
    const base = new MemoryKvTable();
    await base.put({ pk: 'a', sk: 'x', v: 1 });
    await base.put({ pk: 'b', sk: 'x', v: 1 });
    const overlay = new OverlayKvTable(base);
    const writesBefore = base.counters.writes;

    expect(await overlay.put({ pk: 'a', sk: 'x', v: 2 })).toBe(true);
    expect(await overlay.delete({ pk: 'b', sk: 'x' })).toBe(true);
    await overlay.putMany([{ pk: 'c', sk: 'x', v: 3 }]);

    expect(
      await overlay.get([
        { pk: 'a', sk: 'x' },
        { pk: 'b', sk: 'x' },
        { pk: 'c', sk: 'x' },
      ]),
    ).toEqual([
      { pk: 'a', sk: 'x', v: 2 },
      { pk: 'c', sk: 'x', v: 3 },
    ]);
    const scanned = [];
    for await (const item of overlay.scan('', 'x')) scanned.push(item);
    expect(scanned).toEqual([
      { pk: 'a', sk: 'x', v: 2 },
      { pk: 'c', sk: 'x', v: 3 },
    ]);
    expect(base.counters.writes).toBe(writesBefore);
    expect([...base.items.values()]).toEqual([
      { pk: 'a', sk: 'x', v: 1 },
      { pk: 'b', sk: 'x', v: 1 },
    ]);
    expect(overlay.writtenKeys).toBe(3);
  });

  it('judges conditions on what it sees: its own write, else the stored item', async () => {
    const base = new MemoryKvTable();
    await base.put({ pk: 'a', sk: 'x', rev: 1 });
    const overlay = new OverlayKvTable(base);
    expect(await overlay.put({ pk: 'a', sk: 'x', rev: 2 }, { absent: true })).toBe(false);
    expect(await overlay.put({ pk: 'a', sk: 'x', rev: 2 }, { eq: ['rev', 1] })).toBe(true);
    expect(await overlay.put({ pk: 'a', sk: 'x', rev: 3 }, { eq: ['rev', 1] })).toBe(false);
    expect(await overlay.delete({ pk: 'a', sk: 'x' }, { eq: ['rev', 2] })).toBe(true);
    expect(await overlay.put({ pk: 'a', sk: 'x', rev: 1 }, { absent: true })).toBe(true);
  });

  it('gives the crosswalk its semantics with nothing stored: conflicts, pointers, claims', async () => {
    const base = new MemoryKvTable();
    const stored = new TableCrosswalk(base);
    const [first] = await stored.write([{ link: link('001A', 'C-1'), expected: undefined }]);
    const current = first?.ok === true ? first.link : undefined;
    const crosswalk = new TableCrosswalk(new OverlayKvTable(base));

    // A stale revision loses, the current one wins; the new key is found by its pointer.
    expect((await crosswalk.write([{ link: link('001A', 'C-9'), expected: undefined }]))[0]).toMatchObject({
      ok: false,
    });
    expect((await crosswalk.write([{ link: link('001A', 'C-2'), expected: current }]))[0]).toMatchObject({
      ok: true,
    });
    expect((await crosswalk.byIntacctKeys('f', ['C-2'])).get('C-2')?.salesforceId).toBe('001A');
    expect(await crosswalk.claim('f', 'create#x', 'me', 60)).toEqual({ held: true });
    expect((await crosswalk.claim('f', 'create#x', 'someone else', 60)).held).toBe(false);

    // The real crosswalk is as it was.
    expect((await stored.bySalesforceIds('f', ['001A'])).get('001A')?.intacctKey).toBe('C-1');
    expect((await stored.claim('f', 'create#x', 'someone else', 60)).held).toBe(true);
  });
});
