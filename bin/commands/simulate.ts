/** `sfi simulate salesforce|intacct`: one simulator standalone, with its part of the ready line. */
import { waitForSignal } from './signals.ts';

export async function runSimulator(options: {
  system: 'salesforce' | 'intacct';
  port: number;
  seed: 'demo' | 'empty';
}) {
  if (options.system === 'salesforce') {
    const { startSalesforceSimulator } = await import('#local/salesforce-sim/index.ts');
    const sim = await startSalesforceSimulator({ port: options.port, seed: options.seed });
    process.stdout.write(`${JSON.stringify({ event: 'ready', salesforce: sim.readyInfo() })}\n`);
    await waitForSignal();
    await sim.stop();
  } else {
    const { startIntacctSimulator } = await import('#local/intacct-sim/index.ts');
    const sim = await startIntacctSimulator({ port: options.port, seed: options.seed });
    process.stdout.write(`${JSON.stringify({ event: 'ready', intacct: sim.readyInfo() })}\n`);
    await waitForSignal();
    await sim.stop();
  }
  return 0;
}
