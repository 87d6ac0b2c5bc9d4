/**
 * CPU time by area of one measured scenario (issue 11, "where the time goes"): a sampling
 * profiler in this process (everything the bench runs — handlers, clients, SDK, emulators,
 * simulators — shares the one main thread), summed by the same rules as `profile-shares.ts`.
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
    const out: CpuByArea = {};
    for (const [area, us] of areaTimes(profile as unknown as CpuProfile)) out[area] = Math.round(us / 1000);
    return out;
  };
}
