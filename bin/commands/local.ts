/** `sfi local [--once]`: the whole pipeline locally; prints the ready line, stops cleanly on a signal. */

import { startLocalStack } from '#local/local-stack.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { waitForSignal } from './signals.ts';
import { intacctOptions, type SimulatorFaultFlags, salesforceFaults } from './simulate.ts';

export async function runLocal(options: {
  config: SyncConfig;
  port: number;
  once: boolean;
  seed: 'demo' | 'empty';
  faults: SimulatorFaultFlags;
}) {
  const stack = await startLocalStack({
    config: options.config,
    port: options.port,
    seed: options.seed,
    timers: !options.once,
    salesforce: { faults: salesforceFaults(options.faults) },
    intacct: intacctOptions(options.faults),
  });
  process.stdout.write(`${JSON.stringify(stack.ready)}\n`);
  if (options.once) {
    const { runDemoScenario } = await import('#local/demo-scenario.ts');
    const report = await runDemoScenario(stack);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    await stack.stop(5000);
    return report.ok ? 0 : 1;
  }
  process.stderr.write(
    `sfi local: control API ${stack.ready.controlUrl} (status page at /), Ctrl-C to stop\n`,
  );
  // The first delta polls link and copy the demo data both ways; later ones run on their timers.
  void (async () => {
    for (const schedule of ['salesforce-delta', 'intacct-delta']) {
      const response = await fetch(`${stack.ready.controlUrl}/schedules/${schedule}/run`, {
        method: 'POST',
      }).catch(() => undefined);
      const outcome = response?.ok ? 'enqueued its jobs' : 'failed; it runs again on its timer';
      process.stderr.write(`sfi local: initial ${schedule} ${outcome}\n`);
    }
  })();
  const signal = await waitForSignal();
  process.stderr.write(`sfi local: ${signal}, finishing in-flight jobs\n`);
  await stack.stop();
  return 0;
}
