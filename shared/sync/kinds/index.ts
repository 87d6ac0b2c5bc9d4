/** The flow kinds (DESIGN §4) by name; each flow's `kind` picks its runner. */
import type { FlowConfig } from '../flow-schema.ts';
import type { KindRunner } from './context.ts';
import { runMirror } from './mirror/index.ts';

export const KINDS: Record<FlowConfig['kind'], KindRunner> = {
  mirror: runMirror,
};
