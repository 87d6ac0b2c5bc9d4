/** Runs an ops command on the stack the flags name (shared/ops/target.ts) and closes its clients. */
import type { OpsContext, OpsStores } from '#shared/ops/context.ts';
import { opsStores } from '#shared/ops/context.ts';
import { openTarget, type TargetFlags } from '#shared/ops/target.ts';

export async function withTarget<T>(
  flags: TargetFlags,
  run: (context: OpsContext, stores: OpsStores) => Promise<T>,
): Promise<T> {
  const context = await openTarget(flags);
  try {
    return await run(context, opsStores(context));
  } finally {
    context.close();
  }
}

export const printJson = (doc: unknown) => process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
