/**
 * The engine's Intacct port on our XML client: reads and match lookups with the `query` function
 * (`in` filters of ≤ 1000 values, 2000-row pages, stable RECORDNO order, private records shown),
 * writes as generic create/update functions with the engine's deterministic control IDs, which
 * the client packs many to a request. Dotted field paths become nested elements on writes.
 */
import type { IntacctClient } from '#shared/intacct/index.ts';
import {
  type CompanyClock,
  companyClock,
  create,
  IntacctAlreadyExecutedError,
  IntacctDuplicateError,
  type IntacctError,
  queryAll,
  update,
  where,
} from '#shared/intacct/index.ts';
import type { Values } from '../mapping.ts';
import type { SideRecord, SystemPort, WriteOp, WriteResult } from '../ports.ts';

type Xml = { [key: string]: string | null | Xml };

/** Intacct's `in` filter takes at most 1000 values. */
const IN_LIMIT = 1000;

/** `{ 'DISPLAYCONTACT.PHONE1': 'x' }` → `{ DISPLAYCONTACT: { PHONE1: 'x' } }`. */
export function nest(values: Values): Xml {
  const out: Xml = {};
  for (const [path, value] of Object.entries(values)) {
    const parts = path.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      const child: Xml = typeof next === 'object' && next !== null ? next : {};
      node[part] = child;
      node = child;
    }
    node[parts.at(-1) as string] = value;
  }
  return out;
}

/**
 * Rows whose `field` is one of `values` (duplicates dropped), with `in` filters of at most 1000
 * values, 2000-row pages in RECORDNO order, private entity records shown.
 */
export async function* queryWhereIn(
  client: IntacctClient,
  q: { object: string; select: readonly string[]; field: string; values: readonly string[] },
): AsyncGenerator<Record<string, unknown>> {
  const unique = [...new Set(q.values)];
  for (let i = 0; i < unique.length; i += IN_LIMIT)
    yield* queryAll(client, {
      object: q.object,
      select: [...q.select],
      filter: where.in(q.field, unique.slice(i, i + IN_LIMIT)),
      orderBy: [{ field: 'RECORDNO' }],
      pagesize: 2000,
      showPrivate: true,
    });
}

export class IntacctPort implements SystemPort {
  readonly #client: IntacctClient;
  readonly #keyField: (object: string) => string;

  readonly #clock: CompanyClock;

  /**
   * `keyField` names each object's natural key (CUSTOMER → CUSTOMERID), which the engine uses as
   * ID; `clock` reads WHENMODIFIED in the company's time zone, so versions are instants.
   */
  constructor(
    client: IntacctClient,
    keyField: (object: string) => string,
    clock: CompanyClock = companyClock(),
  ) {
    this.#client = client;
    this.#keyField = keyField;
    this.#clock = clock;
  }

  read(object: string, fields: readonly string[], ids: readonly string[]): Promise<Map<string, SideRecord>> {
    return this.#query(object, fields, this.#keyField(object), ids).then(
      (rows) => new Map(rows.map((r) => [r.id, r])),
    );
  }

  findBy(
    object: string,
    fields: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<SideRecord[]> {
    return this.#query(object, fields, field, values);
  }

  async write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> {
    const key = this.#keyField(object);
    // The client batches concurrent calls into requests of up to its functions-per-request limit.
    return Promise.all(
      ops.map(async (op): Promise<WriteResult> => {
        const fields = nest(op.values);
        if (op.kind === 'update') {
          if (op.recordNo !== undefined) fields.RECORDNO = op.recordNo;
          else fields[key] = op.id;
        }
        try {
          const written = await this.#writeOne(object, key, op, fields);
          const id = String(written[key] ?? (op.kind === 'update' ? op.id : (op.values[key] ?? '')));
          return {
            ref: op.ref,
            ok: true,
            id,
            recordNo: written.RECORDNO === undefined ? undefined : String(written.RECORDNO),
          };
        } catch (error) {
          return {
            ref: op.ref,
            ok: false,
            error: error as IntacctError,
            duplicate: op.kind === 'create' && error instanceof IntacctDuplicateError,
          };
        }
      }),
    );
  }

  /**
   * One write. A create whose outcome is unknown (524) or that Intacct says already ran (the same
   * control ID, from a duplicate job running at the same time) is settled by re-reading the record
   * by its key; an update that already ran is done. An update with an unknown outcome stays a
   * retryable error: the retry re-reads the target and writes only what still differs.
   */
  async #writeOne(object: string, key: string, op: WriteOp, fields: Xml): Promise<Record<string, unknown>> {
    if (op.kind === 'update') {
      try {
        return (
          (await this.#client.execute(update({ object, fields }, { controlId: op.controlId }))).records[0] ??
          {}
        );
      } catch (error) {
        if (error instanceof IntacctAlreadyExecutedError) return {};
        throw error;
      }
    }
    const keyValue = op.values[key];
    const reread = async () => {
      if (typeof keyValue !== 'string') return undefined;
      const [found] = await this.#query(object, [], key, [keyValue]);
      return found === undefined
        ? undefined
        : { records: [{ object, [key]: found.id, RECORDNO: found.recordNo }] };
    };
    const result = await this.#client.writeOnce(
      create({ object, fields }, { controlId: op.controlId }),
      reread,
    );
    return result.records[0] ?? {};
  }

  async #query(
    object: string,
    fields: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<SideRecord[]> {
    const key = this.#keyField(object);
    const select = [...new Set(['RECORDNO', 'WHENMODIFIED', key, ...fields])];
    const out: SideRecord[] = [];
    for await (const row of queryWhereIn(this.#client, { object, select, field, values })) {
      const values: Values = {};
      for (const f of select)
        values[f] = row[f] === undefined || row[f] === null || row[f] === '' ? null : String(row[f]);
      out.push({
        id: String(row[key] ?? ''),
        version: values.WHENMODIFIED ? this.#clock.toInstant(values.WHENMODIFIED) : undefined,
        recordNo: values.RECORDNO ?? undefined,
        values,
      });
    }
    return out;
  }
}
