import type { ProjectionFlow } from '../../flow-schema.ts';
import type { KindRunner } from '../context.ts';
export const runProjection: KindRunner<ProjectionFlow> = async () => [];
