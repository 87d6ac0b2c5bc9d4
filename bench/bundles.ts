/**
 * Bundle size and cold init of each Lambda: built with esbuild and the options of
 * infra/constructs/sync-function.ts (ESM, node24, minified, the createRequire banner, AWS SDK
 * external, the sync config compiled in), then imported in fresh `node` processes with the
 * environment the stack gives each function. Init = the handler module's import, median of runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ENV, type FunctionId, functionDefinitions, queueDefinitions, TABLES } from '#infra/definitions.ts';
import type { SyncConfig } from '#shared/config/sync-config.ts';
import { percentile } from './measure.ts';
import { progress, step } from './progress.ts';
import type { BundleFigures } from './types.ts';

const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

const PROBE = `const t = performance.now();
for (const m of process.argv.slice(1)) await import(m);
process.stdout.write(String(performance.now() - t));`;

export interface BundleReport extends BundleFigures {
  /** Bundled packages from node_modules, largest first (bytes in the output). */
  topPackages: Array<[string, number]>;
  jsforce: boolean;
  /** The same import without NODE_OPTIONS=--enable-source-maps (which the stack sets). */
  initWithoutSourceMapsMs: number;
  /** Importing only the AWS SDK clients the bundle leaves external (the runtime's share of init). */
  sdkOnlyInitMs: number;
  sdkModules: string[];
}

export async function measureBundles(
  config: SyncConfig,
  runs: number,
): Promise<Record<FunctionId, BundleReport>> {
  const root = resolve(import.meta.dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'sfi-bench-bundles-'));
  // Lambda's runtime provides the AWS SDK; here the project's node_modules stands in for it.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    NODE_OPTIONS: '--enable-source-maps',
    [ENV.logLevel]: 'INFO',
    [ENV.salesforceOrgId]: config.salesforce.orgId,
    [ENV.salesforceSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sf',
    [ENV.intacctSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ia',
    [ENV.webhookSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wh',
    [ENV.failureTopicArn]: 'arn:aws:sns:us-east-1:123456789012:sfi-failures',
  };
  for (const t of TABLES) env[t.envVar] = `sfi-${t.id}`;
  for (const q of Object.values(queueDefinitions(config)))
    env[q.envVar] = `https://sqs.us-east-1.amazonaws.com/123456789012/sfi-${q.envVar.toLowerCase()}`;
  const out = {} as Record<FunctionId, BundleReport>;
  try {
    for (const [id, def] of Object.entries(functionDefinitions(config)) as Array<
      [FunctionId, { entry: string }]
    >) {
      progress(`bundles: building ${id}`);
      const outfile = join(dir, id, 'index.mjs');
      const result = await build({
        entryPoints: [join(root, def.entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        define: { [`process.env.${ENV.syncConfig}`]: JSON.stringify(JSON.stringify(config)) },
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        external: ['@aws-sdk/*', '@smithy/*'],
        metafile: true,
        logLevel: 'silent',
      });
      const byPackage = new Map<string, number>();
      const output = Object.entries(result.metafile.outputs).find(([k]) =>
        k.endsWith(`${id}/index.mjs`),
      )?.[1];
      for (const [path, input] of Object.entries(output?.inputs ?? {})) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
        const name = m?.[1] ?? '(project)';
        byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
      }
      const sdk = [
        ...new Set(
          (output?.imports ?? [])
            .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
            .map((i) => i.path),
        ),
      ];
      const init = (extraEnv: Record<string, string>, modules = [pathToFileURL(outfile).href]) => {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          progress(`bundles: cold init of ${id}`, i + 1, runs);
          const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, ...modules], {
            cwd: dir,
            env: { ...env, ...extraEnv },
            encoding: 'utf8',
          });
          if (child.status !== 0)
            throw new Error(`${id} bundle failed to load: ${child.stderr.slice(0, 2000)}`);
          times.push(Number(child.stdout));
        }
        return Math.round(percentile(times, 50) * 10) / 10;
      };
      out[id] = {
        bytes: statSync(outfile).size,
        initMs: init({}),
        initWithoutSourceMapsMs: init({ NODE_OPTIONS: '' }),
        sdkOnlyInitMs: init({}, sdk),
        sdkModules: sdk,
        topPackages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5),
        jsforce: byPackage.has('jsforce'),
      };
      step(
        `bundles: ${id} ${(out[id].bytes / 1024).toFixed(0)} KB, init ${out[id].initMs} ms (AWS SDK alone ${out[id].sdkOnlyInitMs} ms; median of ${runs})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
