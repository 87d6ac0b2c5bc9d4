import { describe, expect, it } from 'vitest';
import { figures } from '../../../bench/report.ts';
import type { PipelineRun } from '../../../bench/types.ts';

const run = (cpu?: PipelineRun['costs']['cpu']): PipelineRun => ({
  name: 'backfill',
  records: 1000,
  changed: 1000,
  wallMs: 10_000,
  latencyMs: null,
  checks: {},
  costs: {
    salesforce: { calls: 10, dml: 5, byRoute: {} },
    intacct: {
      requests: 20,
      reads: 5,
      writes: 1000,
      transactions: 1005,
      rateLimited: 0,
      byFunction: {},
      busyMs: 10_000,
      peakInFlight: 2,
    },
    lambda: { invocations: 5, busyMs: 5000 },
    dynamodb: { reads: 10, writes: 1000, byOperation: {} },
    sqs: { calls: 100, sends: 100, byOperation: {} },
    ...(cpu === undefined ? {} : { cpu }),
  },
});

describe('the CPU breakdown of a scenario', () => {
  it('gives ms per record and shares of busy CPU by area, folding GC, runtime and bench into other', () => {
    const f = figures(
      run({
        pipeline: 100,
        'aws-sdk': 300,
        emulators: 200,
        simulators: 250,
        gc: 50,
        'local-runtime': 50,
        idle: 1000,
      }),
      undefined,
      571.4,
      { intacctCap: 2, workerMemoryMb: 1024 },
    );
    expect(f.breakdown.cpu).toEqual({
      msPerRecord: { pipeline: 0.1, awsSdk: 0.3, emulators: 0.2, simulators: 0.25, other: 0.1 },
      busyShare: { pipeline: 0.105, awsSdk: 0.316, emulators: 0.211, simulators: 0.263, other: 0.105 },
      idleShare: 0.513,
    });
    expect(f.breakdown.intacctBusyShare).toBe(0.5);
  });

  it('leaves the CPU breakdown out of a run measured without a profile', () => {
    expect(
      figures(run(), undefined, 571.4, { intacctCap: 2, workerMemoryMb: 1024 }).breakdown.cpu,
    ).toBeUndefined();
  });
});
