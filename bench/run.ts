/**
 * `npm run bench`: claude-gateway's overhead side by side with direct calls,
 * a bare Node proxy and Portkey's gateway, all in front of one emulator on
 * loopback, each server in its own process; then the tool-input bench.
 * Prints one table and writes it into bench/README.md.
 *
 * Options:
 *   --profile          run the gateways under `node --cpu-prof` and summarize their profiles
 *   --skip-tool-input  leave out the tool-input bench
 *   --no-readme        do not touch bench/README.md
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { checkAnswers } from './check-answers.js';
import { type EmulatorEventsResult, formatEmulatorEvents, measureEmulatorEvents } from './emulator-events.js';
import { ProcessGroup } from './launcher.js';
import { describeMachine, machineLine } from './machine.js';
import { measureIdleMemory } from './measure/idle-memory.js';
import { type LatencyResult, type LatencyScenario, measureLatency } from './measure/latency.js';
import { measureStreaming } from './measure/streaming.js';
import { measureThroughput } from './measure/throughput.js';
import { formatProfile, summarizeProfile } from './profile-summary.js';
import { writeLastRun, writeReadmeSummary } from './readme.js';
import { buildReport, targetsSentence } from './report.js';
import { repositoryRoot, type SystemKey, startSystems } from './systems.js';
import { run as runToolInputBench } from './tool-input/tool-input-bench.js';

/** The whole run stops by itself after this, whatever happens. */
const TIME_LIMIT_MS = 9 * 60_000;

const LATENCY: LatencyScenario[] = [
  { name: 'sequential', concurrency: 1, requests: 1_000, rounds: 10, warmup: 300 },
  { name: '64 concurrent', concurrency: 64, requests: 4_000, rounds: 4, warmup: 1_000 },
  { name: 'sequential', concurrency: 1, bodySize: 100 * 1024, requests: 400, rounds: 8, warmup: 100 },
  { name: '64 concurrent', concurrency: 64, bodySize: 100 * 1024, requests: 1_280, rounds: 4, warmup: 256 },
];

/** The systems of every measurement. */
const MAIN: SystemKey[] = [
  'direct',
  'direct-bedrock',
  'bare',
  'gateway-anthropic',
  'gateway-bedrock',
  'portkey',
  'portkey-bedrock',
];
/** Measurement 4 (the log keeping metadata only, or no bodies) rides along the 100 KB latency runs. */
const WITH_LOG_VARIANTS: SystemKey[] = [
  ...MAIN,
  'gateway-anthropic-metadata',
  'gateway-bedrock-metadata',
  'gateway-anthropic-none',
];
/** Memory: the direct Bedrock baseline has no process of its own. */
const MEMORY: SystemKey[] = ['direct', 'bare', 'gateway-anthropic', 'gateway-bedrock', 'portkey'];

const started = performance.now();
function progress(message: string): void {
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

/** Runs the tool-input bench and returns what it printed (it prints its own table). */
async function toolInputSection(): Promise<string> {
  const lines: string[] = [];
  const print = console.log;
  console.log = (...values: unknown[]) => {
    lines.push(values.map(String).join(' '));
    print(...values);
  };
  try {
    await runToolInputBench(true);
  } finally {
    console.log = print;
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'boolean', default: false },
      'skip-tool-input': { type: 'boolean', default: false },
      'no-readme': { type: 'boolean', default: false },
    },
  });
  const root = repositoryRoot();
  const machine = describeMachine();
  const date = new Date();
  const workFolder = mkdtempSync(join(tmpdir(), 'claude-gateway-bench-'));
  const profileFolder = values.profile ? join(root, 'bench', '.out', 'profiles') : undefined;
  if (profileFolder) {
    rmSync(profileFolder, { recursive: true, force: true });
    mkdirSync(profileFolder, { recursive: true });
  }
  const group = new ProcessGroup(workFolder);
  let report: ReturnType<typeof buildReport>;
  let emulatorEvents: EmulatorEventsResult[];
  try {
    progress(`starting the servers (logs in ${workFolder})`);
    const systems = await startSystems(group, {
      storeFolder: workFolder,
      ...(profileFolder ? { profileFolder } : {}),
    });
    const pick = (keys: SystemKey[]) => keys.map((key) => systems.get(key));
    progress(
      `listening: ${[systems.emulator, ...group.servers.filter((server) => server !== systems.emulator)]
        .map((server) => `${server.name} :${server.port}`)
        .join(', ')}`,
    );
    await checkAnswers(pick(WITH_LOG_VARIANTS));
    progress('every system answers Anthropic-shaped JSON and SSE');
    const reset = () => systems.resetEmulator();

    // Memory first, on processes that have only answered the checks: what 1,000 idle streams cost.
    progress('3. memory: 1,000 idle streams');
    const idleMemory = await measureIdleMemory(pick(MEMORY), {
      streams: 1_000,
      rampStep: 100,
      rampPauseMs: 50,
      firstEventTimeoutMs: 5_000,
    });
    const latency: LatencyResult[] = [];
    for (const scenario of LATENCY) {
      const keys = scenario.bodySize !== undefined ? WITH_LOG_VARIANTS : MAIN;
      progress(`1. latency, ${scenario.name}, ${scenario.bodySize ? '100 KB' : 'small'} body`);
      latency.push(await measureLatency(pick(keys), scenario, reset));
    }
    progress('2. streaming: 200 events 5 ms apart');
    const streaming = await measureStreaming(
      pick(MAIN),
      { concurrency: 8, streamsPerTurn: 8, rounds: 8 },
      reset,
    );
    progress('3. throughput: 256 short streams in flight');
    const throughput = await measureThroughput(
      pick(MAIN),
      { concurrency: 256, windowMs: 2_000, warmupMs: 500, rounds: 2 },
      reset,
    );
    progress('5. emulator: events per second');
    emulatorEvents = await measureEmulatorEvents(systems.emulator);
    report = buildReport({
      latency,
      streaming,
      throughput,
      idleMemory,
      systems: systems.byKey,
    });
  } finally {
    progress('stopping the servers');
    await group.stopAll(profileFolder ? 20_000 : 3_000);
    rmSync(workFolder, { recursive: true, force: true });
  }

  const checked = `${report.checks.met} of ${report.checks.total} target checks met`;
  const targetLines =
    report.missed.length === 0
      ? [`Every target met (${checked}).`]
      : [`Targets missed (${checked}):`, ...report.missed.map((line) => `- ${line}`)];
  const emulatorLines = formatEmulatorEvents(emulatorEvents);
  console.log(`\nclaude-gateway overhead on ${machineLine(machine)}`);
  console.log(report.table);
  if (report.notes.length > 0) console.log(`\n${report.notes.join('\n')}`);
  console.log(`\n${emulatorLines.join('\n')}`);
  console.log(`\n${targetLines.join('\n')}`);

  if (profileFolder) {
    for (const file of readdirSync(profileFolder).filter((name) => name.endsWith('.cpuprofile'))) {
      console.log(`\n${formatProfile(file, summarizeProfile(join(profileFolder, file)))}`);
    }
  }

  let toolInput = '';
  if (!values['skip-tool-input']) {
    progress('tool-input bench (issue 5)');
    console.log('');
    toolInput = await toolInputSection();
  }
  progress('done');

  // A profiled run's numbers carry the profiler's cost: they stay out of the README.
  if (!values['no-readme'] && !values.profile) {
    const command = 'npm run bench';
    writeLastRun(
      join(root, 'bench', 'README.md'),
      [
        '## Last run',
        '',
        `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\`, ${((performance.now() - started) / 1000).toFixed(0)} s in all.`,
        '',
        `Machine: ${machineLine(machine)}.`,
        '',
        targetsSentence(),
        '',
        '```',
        report.table,
        '```',
        '',
        ...report.notes.map((note) => `- ${note}`),
        ...emulatorLines.map((line) => `- ${line}`),
        '',
        ...targetLines,
        ...(toolInput ? ['', '### Tool input (issue 5)', '', '```', toolInput, '```'] : []),
      ].join('\n'),
    );
    writeReadmeSummary(
      join(root, 'README.md'),
      [
        `The last run (${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machineLine(machine)}; compare ratios, not absolutes), claude-gateway in its default configuration (the log keeps full bodies):`,
        '',
        report.summary,
        '',
        `${targetsSentence()} This run: ${checked}; each check with its numbers is in [bench/README.md](bench/README.md#last-run).`,
      ].join('\n'),
    );
    progress('bench/README.md and README.md updated');
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${TIME_LIMIT_MS / 60_000} minutes; stopping`);
  process.exit(1);
}, TIME_LIMIT_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
