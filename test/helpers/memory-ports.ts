/**
 * In-memory stand-ins for the engine's ports, for unit tests of the planning logic (the
 * integration tests run the real adapters against the simulators and dynalite).
 */
import { TableCrosswalk } from '#shared/aws/crosswalk.ts';
import { MemoryKvTable } from '#shared/aws/kv-table.ts';
import type { Ledger, StatName } from '#shared/aws/ledger.ts';
import { SyncError } from '#shared/errors.ts';
import type { Values } from '#shared/sync/mapping.ts';
import type { Link, SideRecord, SystemPort, WriteOp, WriteResult } from '#shared/sync/ports.ts';

const clock = { now: Date.parse('2026-11-01T00:00:00.000Z') };

export class MemorySystem implements SystemPort {
  readonly records = new Map<string, Map<string, SideRecord>>();
  readonly writes: Array<{ object: string; op: WriteOp }> = [];
  calls = { read: 0, findBy: 0, write: 0 };
  readonly #newId: (object: string, values: Values) => string;

  constructor(newId: (object: string, values: Values) => string) {
    this.#newId = newId;
  }

  put(object: string, record: SideRecord): void {
    const table = this.records.get(object) ?? new Map<string, SideRecord>();
    table.set(record.id, record);
    this.records.set(object, table);
  }

  /** A change made by a user in this system: new values and a newer version. */
  touch(object: string, id: string, values: Values): SideRecord {
    const current = this.records.get(object)?.get(id);
    if (current === undefined) throw new Error(`${object} ${id} not found`);
    const next = { ...current, values: { ...current.values, ...values }, version: this.#tick() };
    this.put(object, next);
    return next;
  }

  /** One clock for every system, so "later" means later across systems too. */
  #tick(): string {
    clock.now += 1000;
    return new Date(clock.now).toISOString();
  }

  async read(object: string, _fields: readonly string[], ids: readonly string[]) {
    this.calls.read++;
    const table = this.records.get(object) ?? new Map();
    return new Map(
      ids.flatMap((id) =>
        table.has(id) ? [[id, structuredClone(table.get(id) as SideRecord)] as const] : [],
      ),
    );
  }

  async findBy(object: string, _fields: readonly string[], field: string, values: readonly string[]) {
    this.calls.findBy++;
    return [...(this.records.get(object)?.values() ?? [])]
      .filter((r) => values.includes(String(r.values[field] ?? '')))
      .map((r) => structuredClone(r));
  }

  async write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> {
    this.calls.write++;
    return ops.map((op) => {
      this.writes.push({ object, op });
      if (op.kind === 'create') {
        const upsertValue = op.upsertOn === undefined ? undefined : op.values[op.upsertOn];
        const existing = [...(this.records.get(object)?.values() ?? [])].find(
          (r) => upsertValue !== undefined && r.values[op.upsertOn as string] === upsertValue,
        );
        if (existing !== undefined) {
          this.touch(object, existing.id, op.values);
          return { ref: op.ref, ok: true as const, id: existing.id };
        }
        const id = this.#newId(object, op.values);
        if (this.records.get(object)?.has(id) === true)
          return {
            ref: op.ref,
            ok: false as const,
            duplicate: true,
            error: new SyncError(`Another record with the given value(s) ${id} already exists`, {
              code: 'BL34000061',
              retryable: false,
            }),
          };
        this.put(object, { id, version: this.#tick(), values: { ...op.values } });
        return { ref: op.ref, ok: true as const, id };
      }
      this.touch(object, op.id, op.values);
      return { ref: op.ref, ok: true as const, id: op.id };
    });
  }
}

/**
 * The real crosswalk logic (links, pointers, claims, conditional writes) on an in-memory table
 * that evaluates conditions as DynamoDB does. `links` views the stored link items by flow#sfId.
 */
export class MemoryCrosswalk extends TableCrosswalk {
  readonly table: MemoryKvTable;

  constructor(table = new MemoryKvTable(), now: () => number = () => clock.now) {
    super(table, now);
    this.table = table;
  }

  get links(): Map<string, Link> {
    const out = new Map<string, Link>();
    for (const item of this.table.items.values()) {
      if (item.sk !== 'link') continue;
      const { pk: _pk, sk: _sk, ...link } = item;
      out.set(`${String(item.flow)}#${String(item.salesforceId)}`, link as unknown as Link);
    }
    return out;
  }

  /** Changes a stored link in place (as a concurrent writer or a hand edit would), bumping its revision. */
  patch(flow: string, salesforceId: string, values: Partial<Link>): void {
    const id = `${flow}#sf#${salesforceId}\u0000link`;
    const item = this.table.items.get(id);
    if (item === undefined) throw new Error(`no link ${flow} ${salesforceId}`);
    this.table.items.set(id, { ...item, ...values, rev: Number(item.rev ?? 0) + 1 });
  }

  /** Pointer items: flow#intacctKey → the Salesforce ID they name. */
  get pointers(): Map<string, string> {
    const out = new Map<string, string>();
    for (const item of this.table.items.values())
      if (item.sk === 'ptr') out.set(String(item.pk).replace('#ia#', '#'), String(item.salesforceId));
    return out;
  }

  get writes(): number {
    return this.table.counters.writes;
  }
}

export function memoryLedger(): Ledger & { stats: Map<string, Partial<Record<StatName, number>>> } {
  const stats = new Map<string, Partial<Record<StatName, number>>>();
  return {
    stats,
    async addStats(flow, _day, counts) {
      const s = stats.get(flow) ?? {};
      for (const [k, v] of Object.entries(counts)) s[k as StatName] = (s[k as StatName] ?? 0) + (v ?? 0);
      stats.set(flow, s);
    },
    async audit() {},
    async failure() {},
    async statsForDay() {
      return {};
    },
    async recentFailures() {
      return [];
    },
    async openFailures() {
      return [];
    },
    async resolveFailures() {
      return 0;
    },
    async addIntacctTransactions(_month: string, count: number) {
      return count;
    },
    async recordSalesforceUsage() {},
    async salesforceUsage() {
      return undefined;
    },
  };
}
