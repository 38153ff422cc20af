/**
 * What a V8 or glibc setting costs and saves, side by side in one run: one
 * process per (server, setting), all in front of one emulator; each one's RSS
 * after a GC at start and while it holds 1,000 idle streams, then throughput
 * with 256 short streams in flight (the systems take turns, as in
 * `npm run bench`), then the RSS that run left behind. A setting that saves
 * memory but costs CPU shows both.
 *
 *   npx tsc -p tsconfig.bench.json && node --expose-gc bench/.out/bench/runtime-settings.js \
 *     [--servers gateway,bare] [--rounds 3] [--streams 1000] \
 *     [--setting 'semi8=--max-semi-space-size=8'] [--setting 'arena2=--max-semi-space-size=8 MALLOC_ARENA_MAX=2'] …
 *
 * A setting is `label=words`: words with `=` and an upper-case name are
 * environment variables, the others Node flags. Without --setting: the
 * flags `serve` runs with, and a few candidates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anthropicEndpoint } from './endpoints.js';
import { ProcessGroup } from './launcher.js';
import { holdStreams } from './measure/idle-memory.js';
import { measureThroughput } from './measure/throughput.js';
import type { GatewayChildOptions } from './servers/gateway.js';
import { type System, type SystemKey, serveNodeFlags } from './systems.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: 'gateway,bare' },
    setting: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '3' },
    streams: { type: 'string', default: '1000' },
    'first-event-timeout-ms': { type: 'string', default: '60000' },
  },
});

interface Setting {
  label: string;
  flags: string[];
  env: Record<string, string>;
}

function parseSetting(text: string): Setting {
  const [label, words = ''] = text.split(/=(.*)/s) as [string, string?];
  const flags: string[] = [];
  const env: Record<string, string> = {};
  for (const word of words.split(/\s+/).filter(Boolean)) {
    const variable = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word);
    if (variable) env[variable[1] as string] = variable[2] as string;
    else flags.push(word);
  }
  return { label, flags, env };
}

const serve = serveNodeFlags().join(' ');
const settings = (
  values.setting ?? [
    `serve=${serve}`,
    'semi4=--max-semi-space-size=4',
    'semi2=--max-semi-space-size=2',
    `arena2=${serve} MALLOC_ARENA_MAX=2`,
  ]
).map(parseSetting);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-runtime-settings-'));
const group = new ProcessGroup(folder);
try {
  const emulator = await group.launch({
    name: 'emulator',
    script: join(import.meta.dirname, 'servers', 'emulator.js'),
  });
  const credentials = emulator.info['credentials'] as GatewayChildOptions['credentials'];
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': credentials.anthropicApiKey,
  };
  const systems: System[] = [];
  for (const serverName of (values.servers ?? '').split(',')) {
    for (const setting of settings) {
      const name = `${serverName} ${setting.label}`;
      const server =
        serverName === 'bare'
          ? await group.launch({
              name,
              script: join(import.meta.dirname, 'servers', 'bare-proxy.js'),
              args: [emulator.url],
              nodeFlags: setting.flags,
              env: setting.env,
            })
          : await group.launch({
              name,
              script: join(import.meta.dirname, 'servers', 'gateway.js'),
              nodeFlags: setting.flags,
              env: setting.env,
              args: [
                JSON.stringify({
                  upstream: emulator.url,
                  target: 'anthropic',
                  storeUrl: `sqlite://${join(folder, `${serverName}-${setting.label}.db`)}`,
                  bodies: 'full',
                  credentials,
                } satisfies GatewayChildOptions),
              ],
            });
      systems.push({
        // The measurements key their results by system; any distinct key will do here.
        key: name as SystemKey,
        label: name,
        server,
        endpoint: anthropicEndpoint(server.url, headers),
        baseline: 'direct',
        ours: serverName !== 'bare',
        default: false,
      });
    }
  }
  // The emulator keeps the bodies it saw; it forgets them before each turn, as in `npm run bench`.
  // The emulator keeps the bodies it saw; it forgets them before each turn, as in `npm run bench`.
  const reset = async () => {
    const answer = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await answer.arrayBuffer();
  };
  // Memory first, on processes that have answered nothing yet (as `npm run bench` measures it).
  const scenario = {
    streams: Number(values.streams),
    rampStep: 100,
    rampPauseMs: 50,
    firstEventTimeoutMs: Number(values['first-event-timeout-ms']),
  };
  const held = new Map<SystemKey, Awaited<ReturnType<typeof holdStreams>>>();
  for (const system of systems) {
    held.set(system.key, await holdStreams(system, scenario));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const throughput = await measureThroughput(
    systems,
    { concurrency: 256, windowMs: 2_000, warmupMs: 500, rounds: Number(values.rounds) },
    reset,
  );
  console.log(
    `${'server, setting'.padEnd(24)} ${'streams/s'.padStart(10)}  RSS at start → with ${values.streams} idle streams (heap used of committed, started); RSS after the throughput run`,
  );
  for (const system of systems) {
    await system.server.collectGarbage();
    const memory = held.get(system.key);
    const rate = throughput.bySystem.get(system.key)?.streamsPerSecond ?? Number.NaN;
    console.log(
      `${system.label.padEnd(24)} ${rate.toFixed(0).padStart(10)}  ` +
        (memory
          ? `${mb(memory.baselineBytes)} → ${mb(memory.heldBytes)} (heap ${mb(memory.heldHeapBytes)} of ${memory.heldMemory ? mb(memory.heldMemory.heapTotal) : '?'}, ${memory.started} started)`
          : '') +
        `; ${mb(system.server.rssBytes())}`,
    );
  }
} finally {
  await group.stopAll(3_000);
  rmSync(folder, { recursive: true, force: true });
}
