/**
 * When a watched value was written to Intacct: the simulator tells of every gateway answer as it
 * goes out, and a successful write carrying a watched marker value is noted at that moment, the
 * moment it committed, with millisecond resolution (WHENMODIFIED has whole seconds).
 */
import type { GatewayExchange, IntacctSimulator } from '#local/intacct-sim/index.ts';

export interface IntacctWrites {
  /** Start noting answers of writes whose `<field>` holds one of these values. */
  watch(field: string, values: Iterable<string>): void;
  /** When the first successful write carrying `value` was answered (performance.now() ms). */
  writtenAt(value: string): number | undefined;
  stop(): void;
}

export function watchIntacctWrites(simulator: IntacctSimulator): IntacctWrites {
  let pattern: RegExp | undefined;
  const watched = new Set<string>();
  const written = new Map<string, number>();

  /** Marks each watched value in a successful write function as written now. */
  function note({ request, status, response }: GatewayExchange) {
    if (pattern === undefined || status !== 200 || !/<(create|update)>/.test(request)) return;
    const at = performance.now();
    const failed = new Set<string>();
    // Per-function results carry the function's control ID; a failed one must not count as written.
    for (const m of response.matchAll(
      /<result>\s*<status>failure<\/status>[\s\S]*?<controlid>([^<]*)<\/controlid>/g,
    ))
      failed.add(m[1] ?? '');
    for (const fn of request.matchAll(/<function controlid="([^"]*)">([\s\S]*?)<\/function>/g)) {
      if (failed.has(fn[1] ?? '')) continue;
      for (const m of (fn[2] ?? '').matchAll(pattern)) {
        const value = m[1] ?? '';
        if (watched.has(value) && !written.has(value)) written.set(value, at);
      }
    }
  }

  simulator.observe(note);
  return {
    watch(field, values) {
      pattern = new RegExp(`<${field}>([^<]*)</${field}>`, 'g');
      for (const v of values) watched.add(v);
    },
    writtenAt: (value) => written.get(value),
    stop: () => simulator.observe(undefined),
  };
}
