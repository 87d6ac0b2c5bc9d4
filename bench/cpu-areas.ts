/**
 * CPU time by area of one measured scenario (issue 11, "where the time goes"): a sampling
 * profiler in the thread that calls it (the bench samples its main thread, with the simulators,
 * and the runtime's thread, with handlers, clients, SDK and emulators), summed by the same rules
 * as `profile-shares.ts`.
 */
import { Session } from 'node:inspector/promises';
import { type Area, areaTimes, type CpuProfile } from './profile-shares.ts';

/** Milliseconds of sampled time per area (idle included). */
export type CpuByArea = Partial<Record<Area, number>>;

/** Starts sampling; the function it answers stops and sums. */
export async function startCpuAreas(): Promise<() => Promise<CpuByArea>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    session.disconnect();
    return areasOf(profile);
  };
}

/** A V8 CPU profile's sampled milliseconds by area. */
export function areasOf(profile: unknown): CpuByArea {
  const out: CpuByArea = {};
  for (const [area, us] of areaTimes(profile as CpuProfile)) out[area] = Math.round(us / 1000);
  return out;
}

/** The areas of several threads' profiles added up (idle too: the threads' idle time together). */
export function sumAreas(...parts: CpuByArea[]): CpuByArea {
  const out: CpuByArea = {};
  for (const part of parts)
    for (const [area, ms] of Object.entries(part) as [Area, number][]) out[area] = (out[area] ?? 0) + ms;
  return out;
}
