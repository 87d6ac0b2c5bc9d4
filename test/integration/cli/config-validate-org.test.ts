/** `sfi config validate --org`: the same check through describe, against a simulator as the org. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceSecretFor, startSalesforceSimulator } from '#local/salesforce-sim/index.ts';

type Sim = Awaited<ReturnType<typeof startSalesforceSimulator>>;
let sim: Sim;
let dir: string;
beforeAll(async () => {
  sim = await startSalesforceSimulator({ port: 0, seed: 'empty' });
  dir = mkdtempSync(join(tmpdir(), 'sfi-org-'));
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI asynchronously (the simulator answers in this process). */
function sfi(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['bin/sfi.ts', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('sfi config validate --org', () => {
  it('passes against a live org (SALESFORCE_SECRET_JSON) built from the metadata', async () => {
    const secret = JSON.stringify(salesforceSecretFor(sim.readyInfo()));
    const run = await sfi(['config', 'validate', '--org'], { SALESFORCE_SECRET_JSON: secret });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `every Salesforce field it names is in the org at ${sim.readyInfo().loginUrl}`,
    );
    expect(run.status).toBe(0);
  });

  it('names the field the org lacks, the flow and the fix', async () => {
    const config = JSON.parse(readFileSync('sync.config.json', 'utf8'));
    config.flows[2].salesforceKeyField = 'Intacct_Item_Code__c';
    const file = join(dir, 'sync.config.json');
    writeFileSync(file, JSON.stringify(config));
    const secret = JSON.stringify(salesforceSecretFor(sim.readyInfo()));
    const run = await sfi(['config', 'validate', '--org', '--config', file], {
      SALESFORCE_SECRET_JSON: secret,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `${file}: flows.2.salesforceKeyField: Product2.Intacct_Item_Code__c does not exist in the org at`,
    );
    expect(run.stderr).toContain('(flow "product-item")');
    expect(run.stderr).toContain(
      'fix: deploy the metadata (sf project deploy start --source-dir salesforce/force-app)',
    );
  });

  it('starts a local simulator to describe when no secret is given', async () => {
    const run = await sfi(['config', 'validate', '--org'], { SALESFORCE_SECRET_JSON: '' });
    expect(run.stdout).toContain('every Salesforce field it names is in the local Salesforce simulator');
    expect(run.status).toBe(0);
  });
});
