#!/usr/bin/env node
// The CDK app: `npx cdk synth|deploy` runs this (cdk.json). Context: -c config=<file> -c prefix=<name>.
import { App } from 'aws-cdk-lib';
import { addSyncStacks } from '#infra/sync-app.ts';
import { SyncError } from '#shared/errors.ts';

const app = new App();
const option = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

try {
  addSyncStacks(app, {
    ...(option('config') === undefined ? {} : { configFile: option('config') }),
    ...(option('prefix') === undefined ? {} : { prefix: option('prefix') }),
  });
} catch (error) {
  // A config problem is the operator's to fix: print what and how, without a stack trace.
  if (error instanceof SyncError) {
    process.stderr.write(`${error.message}\n${error.hint === undefined ? '' : `fix: ${error.hint}\n`}`);
    process.exit(1);
  }
  throw error;
}
app.synth();
