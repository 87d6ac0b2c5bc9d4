/**
 * `sfi config validate [--org] [--metadata DIR]`: the config's own rules (zod, cross-flow), then
 * every Salesforce field it names against the SFDX metadata and the standard schema, or with
 * `--org` against a live org's describe (SALESFORCE_SECRET_JSON) or a simulator started for it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type OrgSchema, orgSchemaProblems } from '#shared/config/org-check.ts';
import { type NamedField, salesforceFields } from '#shared/config/salesforce-fields.ts';
import { loadSyncConfig, syncConfigSchema } from '#shared/config/sync-config.ts';
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';
import { type Describe, describedSchema, metadataSchema } from '../org-check/schemas.ts';

/** What names Salesforce fields: the flows and the reports. */
type Checked = FlowConfig | ReportConfig;

export type ValidateOptions = { config: string; org: boolean; metadata: string; env?: NodeJS.ProcessEnv };

/** Objects the named fields reach, given what is described so far (line objects, dotted paths). */
function reached(flows: Checked[], named: NamedField[], known: ReadonlyMap<string, Describe | undefined>) {
  const out = new Set(flows.map((f) => f.salesforceObject));
  for (const n of named) {
    let object: string | undefined = n.object;
    if (n.relationship !== undefined)
      object = known
        .get(object.toLowerCase())
        ?.childRelationships.find(
          (r) => r.relationshipName?.toLowerCase() === n.relationship?.toLowerCase(),
        )?.childSObject;
    for (const part of n.field.split('.').slice(0, -1)) {
      if (object === undefined) break;
      out.add(object);
      object = known
        .get(object.toLowerCase())
        ?.fields.find((f) => f.relationshipName?.toLowerCase() === part.toLowerCase())?.referenceTo[0];
    }
    if (object !== undefined) out.add(object);
  }
  return [...out];
}

async function orgSchema(flows: Checked[], env: NodeJS.ProcessEnv): Promise<OrgSchema> {
  const { SalesforceClient, parseSalesforceConfig } = await import('#shared/salesforce/index.ts');
  const named = flows.flatMap(salesforceFields);
  const build = async (secret: unknown, source: string) => {
    const client = new SalesforceClient({ config: parseSalesforceConfig(secret) });
    const describe = async (object: string) => {
      try {
        return (await client.describe(object)) as unknown as Describe;
      } catch (error) {
        if (['NOT_FOUND', 'INVALID_TYPE'].includes((error as { code?: string }).code ?? '')) return undefined;
        throw error;
      }
    };
    return describedSchema(source, describe, (known) => reached(flows, named, known));
  };
  const secret = env.SALESFORCE_SECRET_JSON;
  if (secret !== undefined && secret !== '') {
    const parsed = JSON.parse(secret) as { loginUrl?: string };
    return build(parsed, `the org at ${parsed.loginUrl ?? '(no loginUrl)'}`);
  }
  const { salesforceSecretFor, startSalesforceSimulator } = await import('#local/salesforce-sim/index.ts');
  const sim = await startSalesforceSimulator({ port: 0, seed: 'empty' });
  try {
    return await build(salesforceSecretFor(sim.readyInfo()), 'the local Salesforce simulator');
  } finally {
    await sim.stop();
  }
}

/** Prints every problem with its fix; 0 when the config and the org agree, 1 otherwise. */
export async function runConfigValidate(options: ValidateOptions): Promise<number> {
  const config = loadSyncConfig(options.config);
  // Switched-off flows are checked too: switching one on must not need a field the org lacks.
  const parsed = syncConfigSchema.parse(JSON.parse(readFileSync(options.config, 'utf8')));
  const all = [...parsed.flows, ...parsed.reports];
  const where = (name: string) => {
    const flow = parsed.flows.findIndex((f) => f.name === name);
    return flow >= 0 ? `flows.${flow}` : `reports.${parsed.reports.findIndex((r) => r.name === name)}`;
  };
  const schema = options.org
    ? await orgSchema(all, options.env ?? process.env)
    : metadataSchema(resolve(options.metadata));
  const problems = orgSchemaProblems(all, schema);
  if (problems.length > 0) {
    const lines = problems.map(
      (p) =>
        `${options.config}: ${where(p.flow)}.${p.path.join('.')}: ${p.message} (flow "${p.flow}")\n  fix: ${p.fix}`,
    );
    process.stderr.write(
      `sfi: the config names Salesforce fields ${schema.source} does not have as needed:\n${lines.join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `${options.config}: valid — ${config.flows.length} flows (${config.flows.map((f) => f.name).join(', ')}), ${config.schedules.length} schedules; every Salesforce field it names is in ${schema.source}\n`,
  );
  return 0;
}
