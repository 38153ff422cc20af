/**
 * Two builds of claude-gateway side by side in one run, for work on the hot
 * path: this build and another compiled bench tree (`--base`, e.g. a copy of
 * `bench/.out` made before a change), each in its default configuration on
 * the Anthropic and the Bedrock path, with the direct calls and the bare
 * proxy, taking turns as in `npm run bench`. Prints the median and p99 of
 * each, the added latency over direct, and the rate at 64 in flight.
 *
 * Usage:
 *   npx tsc -p tsconfig.bench.json && node --expose-gc bench/.out/bench/ab.js \
 *     [--base /tmp/base/bench/.out] [--targets anthropic,bedrock/us] [--requests 2000] [--rounds 4] \
 *     [--scenarios seq-small,conc-small,seq-large,conc-large,stream,conc-stream,seq-first] [--profile DIR]
 *     [--this-env LOG_LEVEL=warn,BENCH_ALLOCATION_PROFILE_DIR=/tmp/alloc] [--this-options '{"bodies":"none"}'] [--this-flags --trace-gc] [--logs DIR]
 * `--base this` runs this build twice (with --this-env / --this-options on the second only).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { messagesBody, PACED_STREAM, SHORT_ANSWER, SHORT_STREAM } from './bodies.js';
import { anthropicEndpoint, bedrockEndpoint, type Endpoint, type PreparedRequest } from './endpoints.js';
import { ProcessGroup, type ServerProcess } from './launcher.js';
import { closedLoop, LoadClient } from './load-client.js';
import type { GatewayChildOptions } from './servers/gateway.js';
import { summarize } from './statistics.js';
import { serveNodeFlags } from './systems.js';
import { inTurns } from './turns.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    targets: { type: 'string', default: 'anthropic,bedrock/us' },
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    scenarios: { type: 'string', default: 'seq-small,conc-small,seq-large' },
    profile: { type: 'string' },
    /** Environment for this build's gateways only (`LOG_LEVEL=warn,…`), to try a setting against the base. */
    'this-env': { type: 'string' },
    /** GatewayChildOptions for this build's gateways only (`{"bodies":"none"}`), merged over the default. */
    'this-options': { type: 'string' },
    /** Extra Node flags for this build's gateways only (`--trace-gc,--max-semi-space-size=4`). */
    'this-flags': { type: 'string' },
    /** Keep the servers' logs: copy them to this folder at the end. */
    logs: { type: 'string' },
  },
});

interface Entry {
  label: string;
  endpoint: Endpoint;
  baseline: 'direct' | 'direct-bedrock';
  /** The process whose CPU time is counted (none for the direct calls). */
  server?: ServerProcess;
}

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(server: ServerProcess): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const here = import.meta.dirname;
const folder = mkdtempSync(join(tmpdir(), 'cg-ab-'));
const group = new ProcessGroup(folder);
const watchdog = setTimeout(() => {
  console.error('ab: watchdog after 15 minutes');
  process.exit(2);
}, 15 * 60_000);

try {
  const emulator = await group.launch({
    name: 'emulator',
    script: join(here, 'servers', 'emulator.js'),
    ...(values.profile
      ? {
          nodeFlags: [
            '--cpu-prof',
            `--cpu-prof-dir=${values.profile}`,
            '--cpu-prof-name=emulator.cpuprofile',
          ],
        }
      : {}),
  });
  const credentials = emulator.info['credentials'] as GatewayChildOptions['credentials'];
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': credentials.anthropicApiKey,
  };
  const builds: Array<{ name: string; root: string }> = [
    ...(values.base
      ? [{ name: 'base', root: values.base === 'this' ? here : join(values.base, 'bench') }]
      : []),
    { name: 'this', root: here },
  ];
  const targets = (values.targets ?? '').split(',').filter(Boolean);
  if (values.profile) mkdirSync(values.profile, { recursive: true });
  const launches = builds.flatMap((build) =>
    targets.map(async (target): Promise<Entry> => {
      const name = `${build.name}-${target.replace('/', '-')}`;
      const options: GatewayChildOptions = {
        upstream: emulator.url,
        target,
        storeUrl: `sqlite://${join(folder, `${name}.db`)}`,
        bodies: 'full',
        credentials,
        ...(build.name === 'this' && values['this-options'] ? JSON.parse(values['this-options']) : {}),
      };
      const server: ServerProcess = await group.launch({
        name,
        script: join(build.root, 'servers', 'gateway.js'),
        args: [JSON.stringify(options)],
        ...(build.name === 'this' && values['this-env']
          ? {
              env: Object.fromEntries(
                values['this-env'].split(',').map((pair) => pair.split('=') as [string, string]),
              ),
            }
          : {}),
        nodeFlags: [
          ...serveNodeFlags(),
          ...(build.name === 'this' && values['this-flags'] ? values['this-flags'].split(',') : []),
          ...(values.profile
            ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, `--cpu-prof-name=${name}.cpuprofile`]
            : []),
        ],
      });
      return {
        label: name,
        endpoint: anthropicEndpoint(server.url, headers),
        baseline: target === 'anthropic' ? 'direct' : 'direct-bedrock',
        server,
      };
    }),
  );
  const bare = await group.launch({
    name: 'bare',
    script: join(here, 'servers', 'bare-proxy.js'),
    args: [emulator.url],
    nodeFlags: [
      ...serveNodeFlags(),
      ...(values.profile
        ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, '--cpu-prof-name=bare.cpuprofile']
        : []),
    ],
  });
  const entries: Entry[] = [
    { label: 'direct', endpoint: anthropicEndpoint(emulator.url, headers), baseline: 'direct' },
    {
      label: 'direct-bedrock',
      endpoint: bedrockEndpoint(emulator.url, {
        accessKeyId: credentials.awsAccessKeyId,
        secretAccessKey: credentials.awsSecretAccessKey,
      }),
      baseline: 'direct-bedrock',
    },
    { label: 'bare', endpoint: anthropicEndpoint(bare.url, headers), baseline: 'direct', server: bare },
    ...(await Promise.all(launches)),
  ];
  const reset = async () => {
    const answer = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await answer.arrayBuffer();
  };
  const requests = Number(values.requests);
  const rounds = Number(values.rounds);
  const scenarios: Record<
    string,
    { concurrency: number; size?: number; stream?: boolean; short?: boolean; first?: boolean }
  > = {
    'seq-small': { concurrency: 1 },
    'conc-small': { concurrency: 64 },
    'seq-large': { concurrency: 1, size: 100 * 1024 },
    'conc-large': { concurrency: 64, size: 100 * 1024 },
    stream: { concurrency: 8, stream: true },
    /** Short streams (15 events, no pause), 64 in flight: the time to the last event. */
    'conc-stream': { concurrency: 64, stream: true, short: true },
    /** Short streams one at a time: the time to the first event, with nothing else in flight. */
    'seq-first': { concurrency: 1, stream: true, short: true, first: true },
  };
  for (const scenarioName of (values.scenarios ?? '').split(',').filter(Boolean)) {
    const scenario = scenarios[scenarioName];
    if (!scenario) throw new Error(`no scenario ${scenarioName}`);
    const body = messagesBody({
      script: scenario.short ? SHORT_STREAM : scenario.stream ? PACED_STREAM : SHORT_ANSWER,
      stream: scenario.stream === true,
      ...(scenario.size !== undefined ? { size: scenario.size } : {}),
    });
    const prepared = await Promise.all(entries.map((entry) => entry.endpoint.prepare(body)));
    const clients = entries.map((entry) => new LoadClient(entry.endpoint, scenario.concurrency));
    const samples = entries.map(() => [] as number[]);
    /** Stamped events' delays from the emulator to the client (the paced `stream` scenario). */
    const eventDelays = entries.map(() => [] as number[]);
    const timedMs = entries.map(() => 0);
    const cpuUsed = entries.map(() => 0);
    const emulatorCpu = entries.map(() => 0);
    const count =
      scenario.stream && !scenario.short && !scenario.first
        ? Math.max(8, Math.round(requests / 50))
        : requests;
    const run = async (position: number, total: number, keep: boolean) => {
      const client = clients[position] as LoadClient;
      const request = prepared[position] as PreparedRequest;
      const started = performance.now();
      const server = entries[position]?.server;
      const cpuBefore = server ? cpuMs(server) : 0;
      const emulatorBefore = cpuMs(emulator);
      await closedLoop(total, scenario.concurrency, async () => {
        if (scenario.stream) {
          const timing = await client.stream(request);
          const at = scenario.short && !scenario.first ? timing.arrivals.at(-1) : timing.arrivals[0];
          if (keep) samples[position]?.push(at ?? Number.NaN);
          if (keep) for (const delay of timing.delays) eventDelays[position]?.push(delay);
        } else {
          const elapsed = await client.time(request);
          if (keep) samples[position]?.push(elapsed);
        }
      });
      if (keep) {
        timedMs[position] = (timedMs[position] ?? 0) + (performance.now() - started);
        cpuUsed[position] = (cpuUsed[position] ?? 0) + (server ? cpuMs(server) - cpuBefore : 0);
        emulatorCpu[position] = (emulatorCpu[position] ?? 0) + cpuMs(emulator) - emulatorBefore;
      }
    };
    await inTurns(entries.length, 1, (position) => run(position, Math.min(200, count), false), reset);
    await inTurns(
      entries.length,
      rounds,
      (position) => run(position, Math.ceil(count / rounds), true),
      reset,
    );
    await Promise.all(clients.map((client) => client.close()));
    const summaries = samples.map((list) => summarize(list));
    const medianOf = (label: string) =>
      summaries[entries.findIndex((entry) => entry.label === label)]?.median ?? Number.NaN;
    console.log(
      `\n${scenarioName} (${scenario.concurrency} in flight, ${prepared[0]?.body.length} bytes${scenario.short && !scenario.first ? ', time to the last event' : scenario.stream ? ', time to first event' : ''})`,
    );
    entries.forEach((entry, position) => {
      const summary = summaries[position];
      if (!summary) return;
      const added = summary.median - medianOf(entry.baseline);
      const done = samples[position]?.length ?? 0;
      const rate = done / ((timedMs[position] ?? 1) / 1000);
      const cpu = entry.server
        ? `${((cpuUsed[position] ?? 0) / done).toFixed(3).padStart(6)} ms CPU/req`
        : '';
      const emulatorShare = ((emulatorCpu[position] ?? 0) / done).toFixed(3);
      console.log(
        `  ${entry.label.padEnd(22)} median ${summary.median.toFixed(3).padStart(8)} ms  p99 ${summary.p99.toFixed(2).padStart(8)} ms  added ${entry.label.startsWith('direct') ? '       —' : added.toFixed(3).padStart(8)} ms  ${rate.toFixed(0).padStart(6)}/s  emulator ${emulatorShare} ms CPU/req  ${cpu}`,
      );
      const delays = eventDelays[position] ?? [];
      if (delays.length > 0) {
        const delay = summarize(delays);
        const baseline = summarize(
          eventDelays[entries.findIndex((other) => other.label === entry.baseline)] ?? [],
        );
        console.log(
          `  ${''.padEnd(22)} each event, send stamp → client: median ${delay.median.toFixed(3)} ms  p99 ${delay.p99.toFixed(3)} ms  (${delays.length} events, ${delays.filter((value) => value > 5).length} over 5 ms, max ${Math.max(...delays).toFixed(1)} ms)  p99 added ${entry.label.startsWith('direct') ? '—' : (delay.p99 - baseline.p99).toFixed(3)} ms`,
        );
      }
    });
  }
} finally {
  await group.stopAll(values.profile ? 20_000 : 3_000);
  clearTimeout(watchdog);
  if (values.logs) cpSync(folder, values.logs, { recursive: true, filter: (path) => !path.endsWith('.db') });
  rmSync(folder, { recursive: true, force: true });
}
