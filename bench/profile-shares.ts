/**
 * `node bench/profile-shares.ts <file.cpuprofile> [--json]`
 *
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time, by top-level area of this repository:
 * the simulators, the embedded AWS emulators, the AWS SDK, the project's own code (pipeline, local
 * runtime, bench), and idle. Each sample is charged to its own frame's area when that frame is
 * ours or a known package; a frame in Node's internals or in another library (fast-xml-parser,
 * node:http …) is charged to the nearest caller that has an area, so an XML parse done for the
 * Intacct simulator counts as the simulator's, not as "other".
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The part of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export type Area =
  | 'simulators'
  | 'emulators'
  | 'aws-sdk'
  | 'pipeline'
  | 'local-runtime'
  | 'bench'
  | 'other'
  | 'gc'
  | 'idle';

// dynalite's and fauxqs's own dependency trees (package-lock.json), less the AWS SDK packages
// fauxqs also pulls in: those are charged to the SDK.
const EMULATOR_PACKAGES = [
  'dynalite',
  'memory-level',
  'abstract-level',
  'level-transcoder',
  'level-supports',
  'functional-red-black-tree',
  'module-error',
  'maybe-combine-errors',
  'buffer-crc32',
  'big.js',
  'lazy',
  'async',
  'fauxqs',
  'fastify',
  'find-my-way',
  'light-my-request',
  'avvio',
  'fastq',
  'pino',
  'fast-json-stringify',
  'fast-querystring',
  'ajv',
  'valibot',
  'toad-cache',
  'rfdc',
  'secure-json-parse',
];

const RULES: [RegExp, Area][] = [
  [/\/local\/(intacct-sim|salesforce-sim)\//, 'simulators'],
  [
    new RegExp(`/node_modules/(${EMULATOR_PACKAGES.join('|').replaceAll('.', '\\.')}|@fastify/[^/]+)/`),
    'emulators',
  ],
  [/\/node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws|tslib|bowser)\//, 'aws-sdk'],
  [/\/(shared|functions)\//, 'pipeline'],
  [/\/local\//, 'local-runtime'],
  [/\/bench\//, 'bench'],
];

/** The area a frame belongs to by itself, or undefined when it should inherit its caller's. */
function ownArea(frame: { functionName: string; url: string }): Area | undefined {
  if (frame.functionName === '(idle)') return 'idle';
  if (frame.functionName === '(garbage collector)') return 'gc';
  for (const [re, area] of RULES) if (re.test(frame.url)) return area;
  return undefined;
}

/** Microseconds per area (self time, libraries and Node internals charged to their caller). */
export function areaTimes(profile: CpuProfile): Map<Area, number> {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaOf = new Map<number, Area>();
  const resolve = (id: number): Area => {
    const known = areaOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const area = (node && ownArea(node.callFrame)) ?? (up === undefined ? 'other' : resolve(up));
    areaOf.set(id, area);
    return area;
  };
  const totals = new Map<Area, number>();
  profile.samples.forEach((id, i) => {
    const area = resolve(id);
    totals.set(area, (totals.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

/** Shares of all sampled time, and of busy time (everything but idle), per area, largest first. */
export function areaShares(
  profile: CpuProfile,
): { area: Area; ms: number; share: number; busyShare: number }[] {
  const times = areaTimes(profile);
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  const busy = total - (times.get('idle') ?? 0);
  return [...times]
    .map(([area, us]) => ({
      area,
      ms: Math.round(us / 1000),
      share: total === 0 ? 0 : us / total,
      busyShare: area === 'idle' || busy === 0 ? 0 : us / busy,
    }))
    .sort((a, b) => b.ms - a.ms);
}

/** The files that take the most self time (their own frames only), to name a hot spot. */
export function topFiles(profile: CpuProfile, count: number): { url: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const key = frame?.url || frame?.functionName || '?';
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([url, us]) => ({
      url: url.replace(/^file:\/\/.*?\/(local|shared|functions|bench|node_modules)\//, '$1/'),
      ms: Math.round(us / 1000),
    }));
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, top: { type: 'string', default: '12' } },
  });
  const [file] = positionals;
  if (!file) throw new Error('usage: node bench/profile-shares.ts <file.cpuprofile> [--json] [--top N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const shares = areaShares(profile);
  const top = topFiles(profile, Number(values.top));
  if (values.json) console.log(JSON.stringify({ areas: shares, topFiles: top }));
  else {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
    console.log('area            ms      share  of busy');
    for (const s of shares)
      console.log(
        `${s.area.padEnd(14)} ${String(s.ms).padStart(6)}  ${pct(s.share)}  ${s.area === 'idle' ? '' : pct(s.busyShare)}`,
      );
    console.log('\nself time by file');
    for (const f of top) console.log(`${String(f.ms).padStart(6)} ms  ${f.url}`);
  }
}
