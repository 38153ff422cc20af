/**
 * Sampled allocations of a bench server, the garbage included: with
 * `BENCH_ALLOCATION_PROFILE_DIR=<folder>` in its environment the server samples
 * every allocation (one in about `BENCH_ALLOCATION_INTERVAL` bytes, 4,096 by
 * default) from start to stop and writes `<folder>/<name>.heapprofile` (Chrome
 * DevTools' format) when the bench stops it. Node's own `--heap-prof` keeps only what is
 * still alive at exit, which says nothing about the young garbage that makes
 * the collections a stream's events wait for.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Starts sampling when the environment asks; returns what writes the profile (or nothing). */
export async function startAllocationSampling(name: string): Promise<(() => Promise<void>) | undefined> {
  const folder = process.env.BENCH_ALLOCATION_PROFILE_DIR;
  if (!folder) return undefined;
  const path = join(folder, `${name.replaceAll('/', '-')}.heapprofile`);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: Number(process.env.BENCH_ALLOCATION_INTERVAL ?? 4096),
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  };
}
