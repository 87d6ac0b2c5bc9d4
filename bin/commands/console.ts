/**
 * `sfi console [--port N]`: the operator's page for the stack the flags name, served on 127.0.0.1
 * by this process with the operator's own credentials until Ctrl-C (docs/console.md).
 */
import { startConsole } from '#shared/ops/console/server.ts';
import { openTarget, type TargetFlags } from '#shared/ops/target.ts';
import { waitForSignal } from './signals.ts';

export async function runConsole(flags: TargetFlags, port: number): Promise<number> {
  const context = await openTarget(flags);
  try {
    const served = await startConsole({ context, port });
    process.stdout.write(`${JSON.stringify({ event: 'console', url: served.url, where: context.where })}\n`);
    process.stderr.write(`console for ${context.where}: open ${served.url} (Ctrl-C stops it)\n`);
    await waitForSignal();
    await served.close();
  } finally {
    context.close();
  }
  return 0;
}
