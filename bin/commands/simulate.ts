/** `sfi simulate salesforce|intacct`: one simulator standalone, with its part of the ready line. */
import { waitForSignal } from './signals.ts';

export interface SimulatorFaultFlags {
  latencyMs?: number;
  errorRate?: number;
  concurrencyCap?: number;
}

/** The fault flags in the Salesforce simulator's terms. */
export function salesforceFaults(f: SimulatorFaultFlags) {
  return {
    ...(f.latencyMs === undefined ? {} : { latencyMs: f.latencyMs }),
    ...(f.errorRate === undefined ? {} : { errorRate: f.errorRate }),
  };
}

/** The fault flags in the Intacct simulator's terms (errors are 5xx answers). */
export function intacctOptions(f: SimulatorFaultFlags) {
  return {
    ...(f.latencyMs === undefined ? {} : { latencyMs: f.latencyMs }),
    ...(f.concurrencyCap === undefined ? {} : { concurrencyCap: f.concurrencyCap }),
    ...(f.errorRate === undefined ? {} : { faults: { rate5xx: f.errorRate } }),
  };
}

export async function runSimulator(options: {
  system: 'salesforce' | 'intacct';
  port: number;
  seed: 'demo' | 'empty';
  faults: SimulatorFaultFlags;
}) {
  if (options.system === 'salesforce') {
    const { startSalesforceSimulator } = await import('#local/salesforce-sim/index.ts');
    const sim = await startSalesforceSimulator({
      port: options.port,
      seed: options.seed,
      faults: salesforceFaults(options.faults),
    });
    process.stdout.write(`${JSON.stringify({ event: 'ready', salesforce: sim.readyInfo() })}\n`);
    await waitForSignal();
    await sim.stop();
  } else {
    const { startIntacctSimulator } = await import('#local/intacct-sim/index.ts');
    const sim = await startIntacctSimulator({
      port: options.port,
      seed: options.seed,
      ...intacctOptions(options.faults),
    });
    process.stdout.write(`${JSON.stringify({ event: 'ready', intacct: sim.readyInfo() })}\n`);
    await waitForSignal();
    await sim.stop();
  }
  return 0;
}
