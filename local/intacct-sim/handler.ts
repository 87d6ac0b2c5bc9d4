import type { OpContext } from './context.ts';
import type { XNode } from './xml.ts';

/** What a successful function puts into its `<result>` and how many API transactions it bills. */
export interface HandlerResult {
  data?: Record<string, unknown>;
  key?: string;
  transactions: number;
}

/** A function implementation; throws SimFunctionError for a `failure` result. */
export type Handler = (fn: XNode, ctx: OpContext) => HandlerResult;
