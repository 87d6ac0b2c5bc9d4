import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { FunctionId, ROUTES } from '#infra/definitions.ts';
import { TRUSTSTORE_URI, type WebhookConfig } from '#shared/config/webhook-config.ts';

export interface WebhookApiProps {
  routes: typeof ROUTES;
  functions: Partial<Record<FunctionId, IFunction>>;
  logRetention: RetentionDays;
  /** Steady-state requests per second across the API; Salesforce retries throttled deliveries. */
  rateLimit: number;
  burstLimit: number;
  /** Serve the Salesforce routes only on a custom domain with mutual TLS (webhook.mutualTls). */
  mutualTls?: WebhookConfig['mutualTls'];
}

type Route = (typeof ROUTES)[number];

/**
 * The public HTTP API for Salesforce outbound messages and Intacct push events. No authorizer:
 * neither sender can attach an auth header, so the webhook authenticates every request itself
 * (org ID + path token for Salesforce, shared secret for Intacct). Access logs never include the
 * request path, which carries the token; they log the route template instead.
 *
 * With mutual TLS the Salesforce routes live on an API reachable only through the custom domain
 * (its execute-api endpoint is disabled), and the Intacct routes move to a second API (`pushApi`):
 * Intacct cannot present Salesforce's client certificate.
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The custom domain with its truststore, when mutual TLS is on. */
  readonly domain?: DomainName;
  /** The API of the Intacct routes, when mutual TLS moved them off `api`. */
  readonly pushApi?: HttpApi;
  private readonly pushStage?: HttpStage;
  private readonly customDomain?: string;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const mtls = props.mutualTls;
    const isSalesforce = (route: Route) => route.path.startsWith('/salesforce/');
    const main = this.surface(
      { api: 'Api', logs: 'AccessLogs', stage: 'DefaultStage' },
      mtls === undefined ? props.routes : props.routes.filter(isSalesforce),
      props,
      mtls !== undefined,
    );
    this.api = main.api;
    this.stage = main.stage;
    this.accessLogs = main.logs;
    if (mtls !== undefined) {
      this.customDomain = mtls.domainName;
      const [, bucket = '', key = ''] = TRUSTSTORE_URI.exec(mtls.truststoreUri) ?? [];
      this.domain = new DomainName(this, 'Domain', {
        domainName: mtls.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', mtls.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
        mtls: {
          bucket: Bucket.fromBucketName(this, 'Truststore', bucket),
          key,
          ...(mtls.truststoreVersion === undefined ? {} : { version: mtls.truststoreVersion }),
        },
      });
      new ApiMapping(this, 'Mapping', { api: this.api, domainName: this.domain, stage: this.stage });
      const push = this.surface(
        { api: 'PushApi', logs: 'PushAccessLogs', stage: 'PushStage' },
        props.routes.filter((route) => !isSalesforce(route)),
        props,
        false,
      );
      this.pushApi = push.api;
      this.pushStage = push.stage;
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Salesforce outbound messages and Intacct Smart Events cannot send auth headers or tokens an authorizer could check; the webhook authenticates each request itself (Salesforce org ID + secret path token, Intacct shared secret) before anything is enqueued.',
    });
  }

  /** Base URL of the Salesforce routes, ending in a slash (the custom domain with mutual TLS). */
  get url(): string {
    // The configured name, not a Ref: the output reads as the URL to paste into Salesforce.
    return this.customDomain === undefined ? this.stage.url : `https://${this.customDomain}/`;
  }

  /** Base URL of the Intacct push routes, ending in a slash. */
  get pushUrl(): string {
    return (this.pushStage ?? this.stage).url;
  }

  private surface(
    ids: { api: string; logs: string; stage: string },
    routes: readonly Route[],
    props: WebhookApiProps,
    disableExecuteApiEndpoint: boolean,
  ): { api: HttpApi; stage: HttpStage; logs: LogGroup } {
    const api = new HttpApi(this, ids.api, {
      description: routes.every((r) => r.path.startsWith('/salesforce/'))
        ? 'Salesforce outbound messages (mutual TLS)'
        : routes.every((r) => r.path.startsWith('/intacct/'))
          ? 'Intacct push events'
          : 'Salesforce outbound messages and Intacct push events',
      createDefaultStage: false,
      ...(disableExecuteApiEndpoint ? { disableExecuteApiEndpoint: true } : {}),
    });
    const logs = new LogGroup(this, ids.logs, { retention: props.logRetention });
    const stage = new HttpStage(this, ids.stage, {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(logs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    for (const route of routes) {
      const fn = props.functions[route.fn];
      if (fn === undefined)
        throw new Error(`route ${route.method} ${route.path} needs the ${route.fn} function`);
      let integration = integrations.get(route.fn);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, fn);
        integrations.set(route.fn, integration);
      }
      api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
    return { api, stage, logs };
  }
}
