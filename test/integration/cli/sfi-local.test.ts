/**
 * The interfaces of DESIGN §7 as a user meets them: `sfi local` prints the ready line and serves
 * /status, stops cleanly on SIGTERM; `sfi local --once` runs the demo scenario and exits 0;
 * `sfi config validate` explains a broken config and exits 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';

function sfi(args: string[]): ChildProcess {
  return spawn(process.execPath, ['bin/sfi.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a line`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function collect(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return { code: await exitCode(child), stdout, stderr };
}

describe('sfi CLI', () => {
  it('local prints the ready line, answers /status, and exits 0 on SIGTERM', async () => {
    const child = sfi(['local', '--port', '0']);
    const exited = exitCode(child);
    // A failed assertion must not leave the pipeline running: it is stopped either way.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const ready = JSON.parse(await firstLine(child));
    expect(ready).toMatchObject({
      event: 'ready',
      controlUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      webhookUrl: expect.stringContaining('/salesforce/outbound-message/'),
      salesforce: {
        loginUrl: expect.any(String),
        instanceUrl: expect.any(String),
        clientId: expect.any(String),
        clientSecret: expect.any(String),
        username: expect.any(String),
        password: expect.any(String),
        orgId: '00D000000000001AAA',
      },
      intacct: {
        endpoint: expect.stringContaining('/ia/xml/xmlgw.phtml'),
        senderId: expect.any(String),
        senderPassword: expect.any(String),
        companyId: expect.any(String),
        userId: expect.any(String),
        userPassword: expect.any(String),
      },
    });
    const status = (await (await fetch(`${ready.controlUrl}/status`)).json()) as {
      schedules: Array<{ name: string }>;
      queues: unknown;
    };
    expect(status.schedules.map((s) => s.name)).toEqual([
      'salesforce-delta',
      'intacct-delta',
      'stock-levels',
      'reconcile',
      'receivables-daily',
      // not in schedules[]: notifications.digestMinutes sets its rate
      'failure-digest',
    ]);
    expect(status.queues).toHaveProperty('dlq');
    const page = await fetch(ready.controlUrl);
    expect(page.headers.get('content-type')).toContain('text/html');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('local --once runs the demo scenario to quiescence and exits 0 with every check passing', async () => {
    const { code, stdout } = await collect(sfi(['local', '--once', '--port', '0']));
    const lines = stdout.trim().split('\n');
    const report = JSON.parse(lines.at(-1) ?? '{}') as {
      ok: boolean;
      checks: Array<{ name: string; ok: boolean }>;
    };
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it('config validate names the file, the path and the fix, and exits 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sfi-')), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        salesforce: { apiVersion: '62.0', orgId: 'nope' },
        intacct: {},
        flows: [],
        worker: {},
        retention: {},
        alarms: {},
      }),
    );
    const { code, stderr } = await collect(sfi(['config', 'validate', '--config', file]));
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}: salesforce.orgId: use the 18-character Organization ID`);
    expect(stderr).toContain(`${file}: flows: configure at least one flow`);
    expect(stderr).toContain('fix: edit');
  });

  it.each([
    [
      'salesforce',
      { loginUrl: expect.any(String), instanceUrl: expect.any(String), orgId: expect.any(String) },
    ],
    [
      'intacct',
      {
        endpoint: expect.stringContaining('/ia/xml/xmlgw.phtml'),
        senderId: expect.any(String),
        companyId: expect.any(String),
      },
    ],
  ] as const)('simulate %s prints its part of the ready line and stops on SIGTERM', async (system, shape) => {
    const child = sfi(['simulate', system, '--port', '0', '--seed', 'empty', '--latency-ms', '5']);
    const exited = exitCode(child);
    const ready = JSON.parse(await firstLine(child));
    expect(ready).toEqual({ event: 'ready', [system]: expect.objectContaining(shape) });
    const url = system === 'salesforce' ? ready.salesforce.loginUrl : ready.intacct.endpoint;
    // The simulator answers (an unauthenticated request is refused, which proves it is listening).
    const response = await fetch(url, { method: 'POST', body: '' });
    expect(response.status).toBeGreaterThanOrEqual(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a fault flag out of range', async () => {
    const { code, stderr } = await collect(sfi(['simulate', 'intacct', '--error-rate', '2']));
    expect(code).toBe(2);
    expect(stderr).toContain('--error-rate must be a number 0..1, got "2"');
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    const { code, stderr } = await collect(sfi(['frobnicate']));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
    expect(stderr).toContain('usage: sfi');
  });
});
