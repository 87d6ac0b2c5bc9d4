import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type App, CrossStackReferences, ReferenceStrength, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_CONFIG_FILE, loadSyncConfig, type SyncConfig } from '#shared/config/sync-config.ts';
import { ValidationError } from '#shared/errors.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/** The repository root: bundling runs from here and entry paths in the definitions are relative to it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Default prefix of stack and resource names; set context `prefix` to deploy a second copy. */
export const DEFAULT_PREFIX = 'sfi';

export interface SyncAppOptions {
  /** Sync config file, relative to the working directory (default `sync.config.json`). */
  configFile?: string;
  /** Prefix of stack names and physical resource names (default `sfi`). */
  prefix?: string;
}

export interface SyncAppStacks {
  config: SyncConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds the two stacks to an app and turns on the cdk-nag AwsSolutions checks. The config is
 * validated first, so a bad config fails the synth with the same message `sfi config validate`
 * prints. Stacks are environment-agnostic: synth needs no AWS account or network.
 */
export function addSyncStacks(app: App, options: SyncAppOptions = {}): SyncAppStacks {
  const configFile = resolve(options.configFile ?? DEFAULT_CONFIG_FILE);
  const config = loadSyncConfig(configFile);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (!/^[a-z][a-z0-9-]{1,19}$/.test(prefix)) {
    throw new ValidationError(`prefix "${prefix}" is not usable in resource names`, {
      code: 'CONFIG_INVALID',
      hint: 'pass -c prefix=<2-20 lower-case letters, digits or dashes, starting with a letter>',
    });
  }

  // Strong (export/import): CloudFormation itself refuses to delete state a deployed function still uses.
  // Set on the app before any stack exists, as CDK requires.
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    description: 'Salesforce ⇄ Intacct sync: tables, jobs queue + DLQ, credential secrets',
    config,
    namePrefix: prefix,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    description: 'Salesforce ⇄ Intacct sync: functions, webhook API, schedules, alarms, dashboard',
    config,
    projectRoot: PROJECT_ROOT,
    namePrefix: prefix,
    stateful,
  });
  Tags.of(app).add('app', 'salesforce-intacct-sync');
  Tags.of(app).add('sync-prefix', prefix);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful, stateless };
}
