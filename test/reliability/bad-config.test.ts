/**
 * Bad sync configs: each is refused with a message naming the file, the path and the problem —
 * through `parseSyncConfig`, `loadSyncConfig`, and the CLI (`sfi config validate`) in a child
 * process, which exits non-zero without a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSyncConfig, parseSyncConfig } from '#shared/config/sync-config.ts';
import { ValidationError } from '#shared/errors.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sfi-bad-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const base = (): Json => JSON.parse(readFileSync('sync.config.json', 'utf8')) as Json;
const flow0 = (c: Json) => (c.flows as Json[])[0] as Json;

/** [what, mutate the shipped config, the path and message the error must name] */
const invalid: Array<[string, (c: Json) => void, RegExp]> = [
  ['a wrong version', (c) => (c.version = 2), /\(root\)|version/],
  [
    'an org ID that is not 18 characters',
    (c) => ((c.salesforce as Json).orgId = '00D123'),
    /salesforce\.orgId: use the 18-character/,
  ],
  ['a SOQL-looking org ID', (c) => ((c.salesforce as Json).orgId = "00D' OR '1'='1"), /salesforce\.orgId/],
  ['no flows', (c) => (c.flows = []), /flows: configure at least one flow/],
  [
    'a flow name with spaces',
    (c) => (flow0(c).name = 'Account Customer'),
    /flows\.0\.name: use lower-case letters/,
  ],
  [
    'two flows with one name',
    (c) => ((c.flows as Json[])[1] = { ...flow0(c), salesforceObject: 'Lead' }),
    /flow "account-customer" is defined twice/,
  ],
  [
    'two flows writing one Salesforce field',
    (c) => {
      (flow0(c) as Json).salesforceObject = 'Contact';
      (flow0(c) as Json).intacctObject = 'CUSTOMER';
    },
    /flows\.1\.fields\.4\.salesforce: Contact\.Phone is also written by flow "account-customer"/,
  ],
  [
    'an unknown parent flow',
    (c) =>
      (((c.flows as Json[])[1] as Json).parent = {
        flow: 'nope',
        salesforceField: 'AccountId',
        intacctField: 'COMPANYNAME',
      }),
    /parent flow "nope" does not exist/,
  ],
  [
    'an Intacct field mapped twice',
    (c) => (flow0(c).fields as Json[]).push({ salesforce: 'Fax', intacct: 'NAME' }),
    /NAME is mapped twice/,
  ],
  [
    'an unknown owner',
    (c) => (((flow0(c).fields as Json[])[0] as Json).owner = 'both'),
    /flows\.0\.fields\.0\.owner/,
  ],
  [
    'an unknown transform',
    (c) => (((flow0(c).fields as Json[])[0] as Json).transform = 'eval'),
    /flows\.0\.fields\.0\.transform/,
  ],
  [
    'an injection in a field name',
    (c) => (((flow0(c).fields as Json[])[0] as Json).salesforce = 'Name, (SELECT Id FROM User)'),
    /flows\.0\.fields\.0\.salesforce: use a Salesforce field API name/,
  ],
  [
    'a lower-case Intacct field',
    (c) => (((flow0(c).fields as Json[])[0] as Json).intacct = 'name'),
    /flows\.0\.fields\.0\.intacct: use an Intacct field name/,
  ],
  ['an unknown direction', (c) => (flow0(c).direction = 'sideways'), /flows\.0\.direction/],
  ['a batch size of 0', (c) => ((c.worker as Json).batchSize = 0), /worker\.batchSize/],
  ['a maxConcurrency of 1', (c) => ((c.worker as Json).maxConcurrency = 1), /worker\.maxConcurrency/],
  [
    'a worker timeout given as text',
    (c) => ((c.worker as Json).timeoutSeconds = '60'),
    /worker\.timeoutSeconds/,
  ],
  [
    'a schedule with rate and cron',
    (c) => (c.schedules as Json[]).push({ name: 'twice', rate: '5 minutes', cron: '0 3 * * ? *' }),
    /give exactly one of "rate" or "cron"/,
  ],
  [
    'a malformed rate',
    (c) => (c.schedules as Json[]).push({ name: 'bad-rate', rate: 'every 5 minutes' }),
    /write a rate like/,
  ],
  ['a missing intacct section', (c) => delete c.intacct, /intacct/],
];

describe('sync config corpus', () => {
  it.each(invalid)('parseSyncConfig refuses %s, naming the path', (_what, mutate, reason) => {
    const config = base();
    mutate(config);
    let error: unknown;
    try {
      parseSyncConfig(config, 'bad.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(/bad\.json: /);
    expect((error as Error).message).toMatch(reason);
  });

  it.each([
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
    ['a JSON string', '"sync"'],
  ])('parseSyncConfig refuses %s at the root', (_what, text) => {
    expect(() => parseSyncConfig(JSON.parse(text), 'root.json')).toThrow(/root\.json: \(root\)/);
  });

  it('loadSyncConfig names the file for a missing file and for broken JSON', () => {
    expect(() => loadSyncConfig(join(dir, 'missing.json'))).toThrow(
      /cannot read sync config .*missing\.json/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "flows": [,]}');
    expect(() => loadSyncConfig(broken)).toThrow(/broken\.json is not valid JSON/);
    const trailing = join(dir, 'trailing.json');
    writeFileSync(trailing, `${readFileSync('sync.config.json', 'utf8').trimEnd().slice(0, -1)},}`);
    expect(() => loadSyncConfig(trailing)).toThrow(/trailing\.json is not valid JSON/);
  });

  it('the CLI refuses bad configs with exit code 1, the file, the path and a fix, and no stack trace', async () => {
    const files: Array<[string, RegExp]> = [];
    for (const [i, [, mutate, reason]] of invalid.slice(0, 6).entries()) {
      const config = base();
      mutate(config);
      const file = join(dir, `bad-${i}.json`);
      writeFileSync(file, JSON.stringify(config));
      files.push([file, reason]);
    }
    const broken = join(dir, 'cli-broken.json');
    writeFileSync(broken, '{ not json');
    files.push([broken, /is not valid JSON/]);
    files.push([join(dir, 'nope.json'), /cannot read sync config/]);
    for (const [file, reason] of files) {
      const result = await run(process.execPath, ['bin/sfi.ts', 'config', 'validate', '--config', file]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(result.code, file).toBe(1);
      expect(result.stderr).toContain(file);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/^fix: /m);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('the CLI accepts the shipped config (the corpus fails for its defects, not the harness)', async () => {
    const { stdout } = await run(process.execPath, [
      'bin/sfi.ts',
      'config',
      'validate',
      '--config',
      'sync.config.json',
    ]);
    expect(stdout).toMatch(/sync\.config\.json: valid — 10 flows/);
  });

  // A misspelt optional key must not validate silently with its default applied (here: deactivate
  // instead of the intended ignore): the schema is strict.
  it('refuses an unknown (misspelt) key instead of ignoring it', () => {
    const config = base();
    flow0(config).onSalesforceDeleted = 'ignore';
    expect(() => parseSyncConfig(config, 'typo.json')).toThrow(/onSalesforceDeleted/);
  });
});
