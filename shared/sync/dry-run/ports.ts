/**
 * The engine's ports for a dry run: reads go to the real systems (through the real adapters, so
 * they cost what they cost), writes go to the recorder and are answered as the system would answer
 * a success — a made-up ID for a create, the record's own for an update — never sent.
 */
import { ValidationError } from '#shared/errors.ts';
import type {
  DocumentChange,
  DocumentDraft,
  DocumentPort,
  DocumentSpec,
  FoundDocument,
  LinesReader,
  RecordWithLines,
} from '../document-ports.ts';
import type { Values } from '../mapping.ts';
import type { Ledger, SideRecord, SystemPort, WriteOp, WriteResult } from '../ports.ts';
import { type DryRunRecorder, isFabricated, type System } from './recorder.ts';

/** Reads through `base`, overlaid with this run's writes; `realIds` drops IDs no real system has. */
async function readThrough(
  system: System,
  recorder: DryRunRecorder,
  object: string,
  fields: readonly string[],
  ids: readonly string[],
  read: (ids: readonly string[]) => Promise<Map<string, SideRecord>>,
  realIds: (ids: readonly string[]) => readonly string[] = (i) => i,
): Promise<Map<string, SideRecord>> {
  const real = realIds(ids);
  const found = real.length === 0 ? new Map<string, SideRecord>() : await read(real);
  const records = [
    ...recorder.seen(system, object, found.values(), fields),
    ...recorder.virtualOnly(system, object, ids, new Set(found.keys())),
  ];
  return new Map(records.map((r) => [r.id, r]));
}

async function findThrough(
  system: System,
  recorder: DryRunRecorder,
  object: string,
  fields: readonly string[],
  field: string,
  values: readonly string[],
  find: () => Promise<SideRecord[]>,
): Promise<SideRecord[]> {
  const found = recorder.seen(system, object, await find(), fields);
  const ids = new Set(found.map((r) => r.id));
  return [...found, ...recorder.createdWhere(system, object, field, values).filter((r) => !ids.has(r.id))];
}

/** Salesforce: reads by the real adapter; writes counted in collections of 200, as it sends them. */
export class DryRunSalesforce implements SystemPort, LinesReader {
  readonly #base: SystemPort & LinesReader;
  readonly #recorder: DryRunRecorder;

  constructor(base: SystemPort & LinesReader, recorder: DryRunRecorder) {
    this.#base = base;
    this.#recorder = recorder;
  }

  read(object: string, fields: readonly string[], ids: readonly string[]) {
    // A made-up ID in an `Id IN (…)` list would be refused; nobody but this run has such a record.
    return readThrough(
      'salesforce',
      this.#recorder,
      object,
      fields,
      ids,
      (real) => this.#base.read(object, fields, real),
      (all) => all.filter((id) => !isFabricated(id)),
    );
  }

  findBy(object: string, fields: readonly string[], field: string, values: readonly string[]) {
    return findThrough('salesforce', this.#recorder, object, fields, field, values, () =>
      this.#base.findBy(object, fields, field, values),
    );
  }

  async readWithLines(
    object: string,
    fields: readonly string[],
    ids: readonly string[],
    lines: { relationship: string; fields: readonly string[] },
  ): Promise<Map<string, RecordWithLines>> {
    const found = await this.#base.readWithLines(object, fields, ids, lines);
    const merged = this.#recorder.seen('salesforce', object, found.values(), fields);
    return new Map(merged.map((r) => [r.id, { ...r, lines: found.get(r.id)?.lines ?? [] }]));
  }

  async write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> {
    // As the adapter sends them: plain creates, creates as upserts per external-ID field, updates.
    const creates = ops.filter((o) => o.kind === 'create' && o.upsertOn === undefined);
    const upserts = new Map<string, WriteOp[]>();
    for (const o of ops)
      if (o.kind === 'create' && o.upsertOn !== undefined)
        upserts.set(o.upsertOn, [...(upserts.get(o.upsertOn) ?? []), o]);
    const updates = ops.filter((o) => o.kind === 'update');
    const results: WriteResult[] = [];
    const written = [...creates];
    if (creates.length > 0) this.#recorder.salesforceWrite(creates.length);
    for (const [field, group] of upserts) {
      const sendable = group.filter((o) => (o.values[field] ?? '') !== '');
      if (sendable.length > 0) this.#recorder.salesforceWrite(sendable.length);
      for (const o of group.filter((g) => !sendable.includes(g)))
        results.push({
          ref: o.ref,
          ok: false,
          error: new ValidationError(
            `Salesforce rejected the create: MISSING_ARGUMENT: ${field} not specified`,
            {
              code: 'MISSING_ARGUMENT',
              meta: { fields: [field] },
            },
          ),
        });
      written.push(...sendable);
    }
    if (updates.length > 0) this.#recorder.salesforceWrite(updates.length);
    for (const op of [...written, ...updates]) {
      const id = op.kind === 'update' ? op.id : this.#recorder.fabricate('salesforce');
      this.#recorder.wrote('salesforce', object, { kind: op.kind, ref: op.ref, id, values: op.values });
      results.push({ ref: op.ref, ok: true, id });
    }
    return results;
  }
}

/** Intacct records: reads by the real adapter; each write one function, packed as the client packs them. */
export class DryRunIntacct implements SystemPort {
  readonly #base: SystemPort;
  readonly #recorder: DryRunRecorder;
  readonly #keyField: (object: string) => string;

  constructor(base: SystemPort, recorder: DryRunRecorder, keyField: (object: string) => string) {
    this.#base = base;
    this.#recorder = recorder;
    this.#keyField = keyField;
  }

  read(object: string, fields: readonly string[], ids: readonly string[]) {
    return readThrough('intacct', this.#recorder, object, fields, ids, (real) =>
      this.#base.read(object, fields, real),
    );
  }

  findBy(object: string, fields: readonly string[], field: string, values: readonly string[]) {
    return findThrough('intacct', this.#recorder, object, fields, field, values, () =>
      this.#base.findBy(object, fields, field, values),
    );
  }

  write(object: string, ops: readonly WriteOp[]): Promise<WriteResult[]> {
    const key = this.#keyField(object);
    return Promise.all(
      ops.map(async (op): Promise<WriteResult> => {
        await this.#recorder.intacctWrite('');
        const id = op.kind === 'update' ? op.id : (op.values[key] ?? this.#recorder.fabricate('intacct'));
        const recordNo = op.kind === 'update' ? op.recordNo : this.#recorder.fabricate('intacct');
        this.#recorder.wrote(
          'intacct',
          object,
          {
            kind: op.kind,
            ref: op.ref,
            id,
            ...(recordNo === undefined ? {} : { recordNo }),
            values: op.values,
          },
          // Intacct makes a new record active unless told otherwise (pre-flight checks read it).
          op.kind === 'create' ? { STATUS: 'active' } : {},
        );
        return { ref: op.ref, ok: true, id, ...(recordNo === undefined ? {} : { recordNo }) };
      }),
    );
  }
}

/** Intacct documents: found by the real adapter (and among this run's creates), created in memory. */
export class DryRunDocuments implements DocumentPort {
  readonly #base: DocumentPort;
  readonly #recorder: DryRunRecorder;
  readonly #created = new Map<string, FoundDocument>();

  constructor(base: DocumentPort, recorder: DryRunRecorder) {
    this.#base = base;
    this.#recorder = recorder;
  }

  async find(spec: DocumentSpec, references: readonly string[]): Promise<Map<string, FoundDocument[]>> {
    const found = await this.#base.find(spec, references);
    for (const reference of references) {
      const mine = this.#created.get(reference);
      if (mine !== undefined && !found.has(reference)) found.set(reference, [mine]);
    }
    return found;
  }

  async create(spec: DocumentSpec, draft: DocumentDraft): Promise<FoundDocument> {
    await this.#recorder.intacctWrite(draft.entity);
    // As the adapter answers a create: the key only; a find afterwards gives RECORDNO and state.
    const document: FoundDocument = {
      id: this.#recorder.fabricate('intacct'),
      reference: draft.reference,
      entity: draft.entity,
    };
    this.#created.set(draft.reference, { ...document, recordNo: this.#recorder.fabricate('intacct') });
    this.#recorder.wrote('intacct', documentObject(spec), {
      kind: 'create',
      ref: draft.reference,
      id: document.id,
      values: draftValues(draft),
    });
    return document;
  }

  async update(spec: DocumentSpec, change: DocumentChange): Promise<void> {
    await this.#recorder.intacctWrite(change.entity);
    const values: Values = { ...change.header };
    for (const line of change.changedLines)
      values[`line ${line.lineNum}`] = `${line.quantity} × ${line.itemId}`;
    for (const [i, line] of change.addedLines.entries())
      values[`new line ${i + 1}`] = `${line.quantity} × ${line.itemId}`;
    this.#recorder.wrote('intacct', documentObject(spec), {
      kind: 'update',
      ref: change.id,
      id: change.id,
      values,
    });
  }
}

const documentObject = (spec: DocumentSpec) =>
  spec.function === 'create_sotransaction' ? 'SODOCUMENT' : 'ARINVOICE';

/** A document draft as the fields a plan shows: the header and one entry per line. */
function draftValues(draft: DocumentDraft): Values {
  const values: Values = {
    customerId: draft.customerId,
    date: draft.date,
    entity: draft.entity === '' ? null : draft.entity,
    currency: draft.currency ?? null,
  };
  for (const [i, line] of draft.lines.entries())
    values[`line ${i + 1}`] =
      `${line.quantity} × ${line.itemId}${line.price === undefined ? '' : ` @ ${line.price}`}`;
  return values;
}

/** The ledger as a dry run sees it: reads answered by the real one, writes (stats, audit, failures) dropped. */
export function readOnlyLedger(base: Ledger): Ledger {
  return {
    addStats: async () => {},
    audit: async () => {},
    failure: async () => {},
    resolveFailures: async () => 0,
    openFailures: (flow) => base.openFailures(flow),
    statsForDay: (day) => base.statsForDay(day),
    recentFailures: (limit) => base.recentFailures(limit),
    // Adding nothing is still a write: the month's total stays unread.
    addIntacctTransactions: async () => 0,
    recordSalesforceUsage: async () => {},
    salesforceUsage: () => base.salesforceUsage(),
  };
}
