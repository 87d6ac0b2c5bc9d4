/** Helpers for the operating tests (kill switch, budget governor) on the local pipeline. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import type { OperatingStatus } from '#shared/ops/operate.ts';
import { testConfig } from './config.ts';
import { type StatusDoc, status } from './local-stack.ts';

/** The shipped config cut to the account-customer flow (small and quick), with overrides. */
export function accountsOnlyConfig(overrides: Parameters<typeof testConfig>[0] = {}) {
  const config = testConfig(overrides);
  return { ...config, flows: config.flows.filter((f) => f.name === 'account-customer') };
}

export const operating = (stack: LocalStack) => status(stack) as Promise<StatusDoc & OperatingStatus>;

/** Runs the sfi CLI against the stack's control API; resolves with its exit code and output. */
export async function sfi(stack: LocalStack, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/sfi.ts', ...args, '--url', stack.runtime.controlUrl],
      { timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Jobs anywhere in the jobs queue (visible, in flight or delayed). */
export const queued = (doc: StatusDoc) =>
  doc.queues.jobs.visible + doc.queues.jobs.inFlight + doc.queues.jobs.delayed;

/**
 * A local stack for the deferral tests (kill switch, budget governor): seed empty, no timers,
 * retries in 2 s, and deferred jobs back every second (deployed: minutes). Stop it with
 * {@link stopDeferringStack}, which also puts the deferral back.
 */
export async function startDeferringStack(config: SyncConfig): Promise<LocalStack> {
  process.env.SFI_DEFER_SECONDS = '1';
  return startLocalStack({ config, seed: 'empty', timers: false, runtime: { visibilityTimeoutSeconds: 2 } });
}

export async function stopDeferringStack(stack: LocalStack | undefined): Promise<void> {
  await stack?.stop(2000);
  delete process.env.SFI_DEFER_SECONDS;
}
