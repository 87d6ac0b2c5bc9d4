import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context.ts';
import type { QueryCursors } from './query.ts';

/** What a data route receives: the parsed request and who is calling. */
export type RouteCall = {
  ctx: SimContext;
  cursors: QueryCursors;
  req: IncomingMessage;
  url: URL;
  version: string;
  userId: string;
  params: string[];
  body: unknown;
};

/** What a data route answers; the router adds the usage header and content type. */
export type RouteResult = { status: number; body?: unknown };

/** A data route: method, a pattern on the path after `/services/data/vXX.X`, and its handler. */
export type Route = {
  method: string;
  pattern: RegExp;
  name: string;
  dml?: boolean;
  handle: (call: RouteCall) => RouteResult;
};
