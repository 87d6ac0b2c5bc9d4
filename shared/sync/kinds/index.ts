/** The flow kinds (DESIGN §4) by name; each flow's `kind` picks its runner. */
import type { FlowConfig } from '../flow-schema.ts';
import { runAlert } from './alert/index.ts';
import type { KindRunner } from './context.ts';
import { runDocument } from './document/index.ts';
import { runMirror } from './mirror/index.ts';
import { runProjection } from './projection/index.ts';

export const KINDS: { [K in FlowConfig['kind']]: KindRunner<Extract<FlowConfig, { kind: K }>> } = {
  mirror: runMirror,
  projection: runProjection,
  document: runDocument,
  alert: runAlert,
};

/** The runner of a flow's kind. */
export function runnerFor(flow: FlowConfig): KindRunner {
  return KINDS[flow.kind] as KindRunner;
}
