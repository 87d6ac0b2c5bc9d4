/**
 * The kill switch's state (DESIGN §9): one item per paused flow in the state table
 * (`pk=pause#<flow>`, `sk=pause`). It lives in DynamoDB so every worker instance of a deployed
 * stack sees it, and `sfi pause` writes it with the same SDK calls locally and deployed.
 */
import type { KvTable } from '#shared/aws/kv-table.ts';

export interface FlowPause {
  flow: string;
  pausedAt: string;
}

export interface FlowPauses {
  /** Pauses a flow; pausing a paused flow keeps its first `pausedAt`. Returns the pause in force. */
  pause(flow: string, at: string): Promise<FlowPause>;
  /** Resumes a flow; false when it was not paused. */
  resume(flow: string): Promise<boolean>;
  /** The paused flows among `flows` (one batched read). */
  paused(flows: readonly string[]): Promise<FlowPause[]>;
}

const key = (flow: string) => ({ pk: `pause#${flow}`, sk: 'pause' });

export class TableFlowPauses implements FlowPauses {
  readonly #table: KvTable;

  constructor(table: KvTable) {
    this.#table = table;
  }

  async pause(flow: string, at: string): Promise<FlowPause> {
    if (await this.#table.put({ ...key(flow), flow, pausedAt: at }, { absent: true }))
      return { flow, pausedAt: at };
    const [current] = await this.paused([flow]);
    return current ?? { flow, pausedAt: at };
  }

  async resume(flow: string): Promise<boolean> {
    return this.#table.delete(key(flow), { eq: ['flow', flow] });
  }

  async paused(flows: readonly string[]): Promise<FlowPause[]> {
    if (flows.length === 0) return [];
    const items = await this.#table.get(flows.map(key));
    return items
      .map((item) => ({ flow: String(item.flow), pausedAt: String(item.pausedAt) }))
      .sort((a, b) => a.flow.localeCompare(b.flow));
  }
}
