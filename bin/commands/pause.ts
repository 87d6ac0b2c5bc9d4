/**
 * `sfi pause <flow>` / `sfi resume <flow>`: the kill switch. A paused flow's jobs wait in the queue
 * (re-sent delayed, nothing fails) until it is resumed; workers see the change within seconds.
 * Writes the stack's state table through the SDK, as the workers read it.
 */
import { pauseFlow, resumeFlow } from '#shared/ops/operate.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { printJson, withTarget } from './with-target.ts';

export async function runPause(
  flags: TargetFlags,
  flow: string,
  action: 'pause' | 'resume',
): Promise<number> {
  const body = await withTarget(flags, async (_, stores) =>
    action === 'pause'
      ? { paused: await pauseFlow(stores.operate, flow) }
      : await resumeFlow(stores.operate, flow),
  );
  printJson(body);
  process.stderr.write(
    action === 'pause'
      ? `${flow} paused: its jobs wait in the queue; "sfi resume ${flow}" lets them run\n`
      : 'resumed' in body && body.resumed === false
        ? `${flow} was not paused\n`
        : `${flow} resumed: its waiting jobs run within a minute\n`,
  );
  return 0;
}
