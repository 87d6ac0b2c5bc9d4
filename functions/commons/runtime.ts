/**
 * What every Lambda builds once at module scope: the logger and AWS clients. SDK clients honour
 * AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_DYNAMODB, which the local runtime sets.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { ValidationError } from '#shared/errors.ts';
import { createLogger, type Logger, logLevelFromEnv } from '#shared/observability/logger.ts';

/** Reads a required environment variable or fails the cold start with a clear message. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ValidationError(`environment variable ${name} is not set`, {
      code: 'CONFIG_MISSING',
      hint: 'deploy with the CDK stack (it sets every variable) or run through sfi local',
    });
  }
  return value;
}

/**
 * Where log lines (and EMF metrics) go: stdout for CloudWatch; the local runtime sets
 * LOG_STREAM=stderr to keep stdout for its ready line.
 */
export function logLine(env: NodeJS.ProcessEnv = process.env): (line: string) => void {
  const stream = env.LOG_STREAM === 'stderr' ? process.stderr : process.stdout;
  return (line) => stream.write(`${line}\n`);
}

export function makeLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger({ service, level: logLevelFromEnv(env.LOG_LEVEL), write: logLine(env) });
}

export function makeSqsClient(): SQSClient {
  return new SQSClient({});
}
