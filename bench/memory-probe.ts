/**
 * Where the memory of idle streams goes, for one server: its RSS and
 * `process.memoryUsage()` (V8 heap, external, array buffers) and
 * /proc/<pid>/smaps_rollup after a GC, at start and while it holds N idle
 * streams; optionally a heap snapshot of each state to compare in DevTools.
 *
 *   npx tsc -p tsconfig.bench.json && node --expose-gc bench/.out/bench/memory-probe.js \
 *     [--system gateway|bare] [--target anthropic|bedrock/us] [--bodies full|metadata|none] \
 *     [--streams 1000] [--snapshots DIR] [--node-flags '--max-semi-space-size=8'] [--first-event-timeout-ms 10000]
 *     [--body-kb 104]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anthropicEndpoint } from './endpoints.js';
import { ProcessGroup, type ServerProcess } from './launcher.js';
import { holdStreams } from './measure/idle-memory.js';
import type { GatewayChildOptions } from './servers/gateway.js';
import { type System, serveNodeFlags } from './systems.js';

const { values } = parseArgs({
  options: {
    system: { type: 'string', default: 'gateway' },
    target: { type: 'string', default: 'anthropic' },
    bodies: { type: 'string', default: 'full' },
    streams: { type: 'string', default: '1000' },
    snapshots: { type: 'string' },
    /** Node flags for the server, space-separated; by default those `claude-gateway serve` runs with. */
    'node-flags': { type: 'string' },
    /** How long to hold the streams before reading (the memory reducer of an idle V8 acts after seconds). */
    'hold-ms': { type: 'string', default: '0' },
    /** How long to wait for every stream's first event (a loaded machine needs longer). */
    'first-event-timeout-ms': { type: 'string', default: '10000' },
    /** Each stream's request body in KB, shaped like Claude Code's; a one-line prompt by default. */
    'body-kb': { type: 'string' },
    /** Also list the mappings with the most resident memory. */
    maps: { type: 'boolean', default: false },
  },
});

const nodeFlags =
  values['node-flags'] === undefined ? serveNodeFlags() : values['node-flags'].split(' ').filter(Boolean);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The lines of /proc/<pid>/smaps_rollup that say where resident memory is. */
function smaps(pid: number): string {
  const wanted = ['Rss', 'Anonymous', 'Private_Dirty', 'Shared_Clean', 'Private_Clean'];
  return readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    .split('\n')
    .filter((line) => wanted.some((name) => line.startsWith(`${name}:`)))
    .map((line) => line.replace(/\s+/g, ' '))
    .join(', ');
}

/** The `count` mappings of /proc/<pid>/smaps with the most resident memory. */
function largestMappings(pid: number, count = 12): string[] {
  const mappings: { name: string; rss: number; size: number }[] = [];
  let current: { name: string; rss: number; size: number } | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = { name: header[3] || '[anonymous]', rss: 0, size: 0 };
      mappings.push(current);
    } else if (current && line.startsWith('Rss:')) current.rss = Number(line.split(/\s+/)[1]) * 1024;
    else if (current && line.startsWith('Size:')) current.size = Number(line.split(/\s+/)[1]) * 1024;
  }
  // Anonymous mappings grouped by size: V8 pages are 256 KB, glibc thread arenas 64 MB pieces, and so on.
  const bySize = new Map<string, { count: number; rss: number }>();
  for (const mapping of mappings) {
    const key = `${mapping.name === '[anonymous]' ? 'anonymous' : mapping.name} of ${Math.round(mapping.size / 1024)} KB`;
    const entry = bySize.get(key) ?? { count: 0, rss: 0 };
    entry.count += 1;
    entry.rss += mapping.rss;
    bySize.set(key, entry);
  }
  return [...bySize]
    .sort((left, right) => right[1].rss - left[1].rss)
    .slice(0, count)
    .map(([key, entry]) => `${mb(entry.rss)} in ${entry.count} × ${key}`);
}

function describe(state: string, server: ServerProcess): void {
  const memory = server.lastMemory;
  console.log(
    `${state}: RSS ${mb(server.rssBytes())}` +
      (memory
        ? `; heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}, external ${mb(memory.external)}, arrayBuffers ${mb(memory.arrayBuffers)}`
        : ''),
  );
  console.log(`  smaps: ${smaps(server.pid)}`);
  const spaces = (server.lastSpaces ?? [])
    .filter((space) => space.size > 0)
    .map((space) => `${space.name} ${mb(space.used)}/${mb(space.physical)}/${mb(space.size)}`);
  console.log(`  V8 spaces (used/resident/committed): ${spaces.join(', ')}`);
  if (values.maps) for (const line of largestMappings(server.pid)) console.log(`    ${line}`);
}

const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-memory-probe-'));
const group = new ProcessGroup(folder);
try {
  const emulator = await group.launch({
    name: 'emulator',
    script: join(import.meta.dirname, 'servers', 'emulator.js'),
  });
  const credentials = emulator.info['credentials'] as GatewayChildOptions['credentials'];
  const server =
    values.system === 'bare'
      ? await group.launch({
          name: 'bare',
          script: join(import.meta.dirname, 'servers', 'bare-proxy.js'),
          args: [emulator.url],
          nodeFlags,
        })
      : await group.launch({
          name: 'gateway',
          script: join(import.meta.dirname, 'servers', 'gateway.js'),
          nodeFlags,
          args: [
            JSON.stringify({
              upstream: emulator.url,
              target: values.target,
              storeUrl: `sqlite://${join(folder, 'probe.db')}`,
              bodies: values.bodies as GatewayChildOptions['bodies'],
              credentials,
            } satisfies GatewayChildOptions),
          ],
        });
  const system: System = {
    key: 'gateway-anthropic',
    label: values.system,
    server,
    endpoint: anthropicEndpoint(server.url, {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': credentials.anthropicApiKey,
    }),
    baseline: 'direct',
    ours: values.system !== 'bare',
    default: false,
  };
  await server.collectGarbage();
  describe('at start', server);
  if (values.snapshots) await server.heapSnapshot(join(values.snapshots, 'start.heapsnapshot'));
  const result = await holdStreams(
    system,
    {
      streams: Number(values.streams),
      rampStep: 100,
      rampPauseMs: 50,
      firstEventTimeoutMs: Number(values['first-event-timeout-ms']),
      ...(values['body-kb'] ? { bodySize: Number(values['body-kb']) * 1024 } : {}),
    },
    async () => {
      const holdMs = Number(values['hold-ms']);
      if (holdMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, holdMs));
        await server.collectGarbage();
      }
      describe(`holding ${values.streams} idle streams`, server);
      if (values.snapshots) await server.heapSnapshot(join(values.snapshots, 'held.heapsnapshot'));
    },
  );
  console.log(`${result.started} streams started, ${result.failures} failed`);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await server.collectGarbage();
  describe('after they closed', server);
} finally {
  await group.stopAll(3_000);
  rmSync(folder, { recursive: true, force: true });
}
