import { describe, expect, it } from 'vitest';
import { parseSyncConfig } from '#shared/config/sync-config.ts';
import { configProblems, shippedConfigJson } from '../../../helpers/config.ts';

const shipped = shippedConfigJson();
const withWebhook = (webhook: unknown) => ({ ...shipped, webhook });

const problems = configProblems;

const mutualTls = {
  domainName: 'sync.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  truststoreUri: 's3://example-truststore/salesforce.pem',
};

describe('sync config: webhook', () => {
  it('defaults to no mutual TLS, no allowlist and a 300-second push replay window with optional headers', () => {
    expect(parseSyncConfig(shipped).webhook).toEqual({
      intacctPush: { replayWindowSeconds: 300, requireReplayHeaders: false },
    });
  });

  it('accepts mutual TLS and IPv4 and IPv6 ranges', () => {
    const config = parseSyncConfig(
      withWebhook({ mutualTls, allowedSourceCidrs: ['13.108.0.0/14', '2001:db8::/32', '203.0.113.7/32'] }),
    );
    expect(config.webhook.mutualTls).toEqual(mutualTls);
    expect(config.webhook.allowedSourceCidrs).toHaveLength(3);
  });

  it('names each bad range, host, ARN and truststore URI with the fix', () => {
    const found = problems(
      withWebhook({
        mutualTls: {
          domainName: 'Sync Example',
          certificateArn: 'arn:aws:iam::123456789012:server-certificate/x',
          truststoreUri: 'https://bucket/key.pem',
        },
        allowedSourceCidrs: ['13.108.0.0', '13.108.0.0/33', 'fe80::/129', 'salesforce.com/8'],
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^my\.json: webhook\.mutualTls\.domainName: write a lower-case host name/),
      expect.stringMatching(/webhook\.mutualTls\.certificateArn: use the ARN of an ACM certificate/),
      expect.stringMatching(/webhook\.mutualTls\.truststoreUri: use s3:\/\/<bucket>\/<key>\.pem/),
      expect.stringMatching(/webhook\.allowedSourceCidrs\.0: "13\.108\.0\.0" has no prefix length/),
      expect.stringMatching(/allowedSourceCidrs\.1: .*prefix length must be 0–32 for an IPv4 range/),
      expect.stringMatching(/allowedSourceCidrs\.2: .*prefix length must be 0–128 for an IPv6 range/),
      expect.stringMatching(/allowedSourceCidrs\.3: "salesforce\.com" is not an IPv4 or IPv6 address/),
    ]);
  });

  it('refuses an empty allowlist, an unknown key and a replay window outside 30–3600 s', () => {
    expect(problems(withWebhook({ allowedSourceCidrs: [] }))[0]).toMatch(/list at least one range/);
    expect(problems(withWebhook({ allowlist: ['10.0.0.0/8'] }))[0]).toMatch(/webhook.*allowlist/);
    expect(problems(withWebhook({ intacctPush: { replayWindowSeconds: 5 } }))[0]).toMatch(
      /webhook\.intacctPush\.replayWindowSeconds/,
    );
  });
});
