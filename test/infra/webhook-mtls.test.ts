/**
 * Mutual TLS on the outbound-message route (webhook.mutualTls): a custom domain whose truststore
 * holds Salesforce's client certificate, the Salesforce routes mapped to it and their default
 * execute-api endpoint disabled; the Intacct routes on a second API, since Intacct presents no
 * client certificate. Without the setting, no domain exists and the one API keeps its endpoint.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#infra/definitions.ts';
import { logicalId, type SynthesizedApp, synthesize } from './synth-fixture.ts';

const MTLS = {
  domainName: 'sync.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  truststoreUri: 's3://example-sfi-truststore/salesforce/client-chain.pem',
  truststoreVersion: 'v3.Example',
};

let on: SynthesizedApp;
let off: SynthesizedApp;
beforeAll(() => {
  on = synthesize({
    bundle: false,
    change: (config) => Object.assign(config, { webhook: { mutualTls: MTLS } }),
  });
  off = synthesize({ bundle: false });
});

const resources = (synth: SynthesizedApp, type: string) =>
  Object.entries(synth.statelessTemplate.findResources(type)) as Array<
    [string, { Properties: Record<string, unknown> }]
  >;
const routeKeysOf = (synth: SynthesizedApp, apiId: string) =>
  resources(synth, 'AWS::ApiGatewayV2::Route')
    .filter(([, r]) => (r.Properties.ApiId as { Ref?: string }).Ref === apiId)
    .map(([, r]) => r.Properties.RouteKey)
    .sort();

describe('webhook API with mutual TLS on', () => {
  it('creates the custom domain with the certificate, TLS 1.2 and the S3 truststore', () => {
    on.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: MTLS.domainName,
      DomainNameConfigurations: [
        { CertificateArn: MTLS.certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
      MutualTlsAuthentication: {
        TruststoreUri: MTLS.truststoreUri,
        TruststoreVersion: MTLS.truststoreVersion,
      },
    });
  });

  it('maps the Salesforce API to the domain and disables its execute-api endpoint', () => {
    const api = on.stateless.api;
    const mainId = logicalId(api.api);
    const domainId = logicalId(api.domain as NonNullable<typeof api.domain>);
    expect(on.statelessTemplate.toJSON().Resources[mainId].Properties.DisableExecuteApiEndpoint).toBe(true);
    const [[, mapping] = ['', { Properties: {} }]] = resources(on, 'AWS::ApiGatewayV2::ApiMapping');
    expect(mapping.Properties).toMatchObject({ ApiId: { Ref: mainId }, DomainName: { Ref: domainId } });
    expect(routeKeysOf(on, mainId)).toEqual(
      ROUTES.filter((r) => r.path.startsWith('/salesforce/'))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it('serves the Intacct routes on a second API that keeps its endpoint, with access logs and throttling', () => {
    const pushId = logicalId(on.stateless.api.pushApi as NonNullable<typeof on.stateless.api.pushApi>);
    const push = on.statelessTemplate.toJSON().Resources[pushId];
    expect(push.Properties.DisableExecuteApiEndpoint ?? false).toBe(false);
    expect(routeKeysOf(on, pushId)).toEqual(
      ROUTES.filter((r) => r.path.startsWith('/intacct/'))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    const stages = resources(on, 'AWS::ApiGatewayV2::Stage').filter(
      ([, s]) => (s.Properties.ApiId as { Ref?: string }).Ref === pushId,
    );
    expect(stages[0]?.[1].Properties).toMatchObject({
      AccessLogSettings: { DestinationArn: expect.anything() },
      DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number) },
    });
  });

  it('outputs the outbound-message URL on the custom domain and the DNS target', () => {
    const outputs = on.statelessTemplate.findOutputs('*');
    expect(JSON.stringify(outputs.SalesforceOutboundMessageUrl?.Value)).toContain(
      `https://${MTLS.domainName}/salesforce/outbound-message/{token}`,
    );
    expect(JSON.stringify(outputs.CustomDomainTarget?.Value)).toContain('RegionalDomainName');
    expect(JSON.stringify(outputs.IntacctEventsUrl?.Value)).toContain(
      logicalId(on.stateless.api.pushApi as NonNullable<typeof on.stateless.api.pushApi>),
    );
  });

  it('passes cdk-nag with no finding and no new acknowledgement', () => {
    const report = new AwsSolutionsChecks().validateScope(on.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`)).toEqual(
      [],
    );
  });
});

describe('webhook API with mutual TLS off (the default)', () => {
  it('has no custom domain, no mapping, one API with its execute-api endpoint and every route', () => {
    expect(resources(off, 'AWS::ApiGatewayV2::DomainName')).toEqual([]);
    expect(resources(off, 'AWS::ApiGatewayV2::ApiMapping')).toEqual([]);
    const apis = resources(off, 'AWS::ApiGatewayV2::Api');
    expect(apis.map(([id]) => id)).toEqual([logicalId(off.stateless.api.api)]);
    expect(apis[0]?.[1].Properties.DisableExecuteApiEndpoint).toBeUndefined();
    expect(routeKeysOf(off, logicalId(off.stateless.api.api))).toEqual(
      ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    expect(off.statelessTemplate.findOutputs('CustomDomainTarget')).toEqual({});
  });
});
