import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionId, ROUTES } from '#infra/definitions.ts';

export interface WebhookApiProps {
  routes: typeof ROUTES;
  functions: Partial<Record<FunctionId, IFunction>>;
  logRetention: RetentionDays;
  /** Steady-state requests per second across the API; Salesforce retries throttled deliveries. */
  rateLimit: number;
  burstLimit: number;
}

/**
 * The public HTTP API for Salesforce outbound messages and Intacct push events. No authorizer:
 * neither sender can attach an auth header, so the webhook authenticates every request itself
 * (org ID + path token for Salesforce, shared secret for Intacct). Access logs never include the
 * request path, which carries the token; they log the route template instead.
 */
export class WebhookApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Salesforce outbound messages and Intacct push events',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
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
    for (const route of props.routes) {
      const fn = props.functions[route.fn];
      if (fn === undefined)
        throw new Error(`route ${route.method} ${route.path} needs the ${route.fn} function`);
      let integration = integrations.get(route.fn);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, fn);
        integrations.set(route.fn, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Salesforce outbound messages and Intacct Smart Events cannot send auth headers or tokens an authorizer could check; the webhook authenticates each request itself (Salesforce org ID + secret path token, Intacct shared secret) before anything is enqueued.',
    });
  }

  /** The stage URL, ending in a slash. */
  get url(): string {
    return this.stage.url;
  }
}
