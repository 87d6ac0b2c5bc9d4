import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSyncConfig, parseSyncConfig } from '#shared/config/sync-config.ts';
import { ValidationError } from '#shared/errors.ts';

const shipped = JSON.parse(readFileSync('sync.config.json', 'utf8')) as Record<string, unknown>;

function problems(raw: unknown): string[] {
  try {
    parseSyncConfig(raw, 'my.json');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).meta.problems as string[];
  }
}

describe('sync config', () => {
  it('accepts the shipped config', () => {
    expect(loadSyncConfig('sync.config.json').flows.map((f) => f.name)).toEqual([
      'account-customer',
      'contact-contact',
    ]);
  });

  it('lists every problem with file, path and what to write', () => {
    const found = problems({
      ...shipped,
      salesforce: { apiVersion: '62', orgId: '00D123' },
      schedules: [{ name: 'x-poll', rate: '5 minutes', cron: '0 3 * * ? *' }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^my\.json: salesforce\.apiVersion: write the API version like "62\.0"/),
        expect.stringMatching(/^my\.json: salesforce\.orgId: use the 18-character Organization ID/),
        expect.stringMatching(/^my\.json: schedules\.0: give exactly one of "rate" or "cron"/),
      ]),
    );
  });

  it('rejects two flows for one Salesforce object and duplicate schedule names', () => {
    const flows = [
      { name: 'a-one', salesforceObject: 'Account', intacctObject: 'CUSTOMER' },
      { name: 'a-two', salesforceObject: 'Account', intacctObject: 'VENDOR' },
    ];
    const schedules = [
      { name: 'poll', rate: '5 minutes' },
      { name: 'poll', rate: '1 hour' },
    ];
    const found = problems({ ...shipped, flows, schedules });
    expect(found.some((p) => p.includes('flows.1.salesforceObject: Account is already used'))).toBe(true);
    expect(found.some((p) => p.includes('schedules.1.name: schedule "poll" is defined twice'))).toBe(true);
  });

  it('names a missing file and invalid JSON with a fix', () => {
    expect(() => loadSyncConfig('does-not-exist.json')).toThrow(
      /cannot read sync config does-not-exist\.json/,
    );
  });
});
