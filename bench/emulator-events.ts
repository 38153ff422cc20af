/**
 * How fast the emulator streams (issue 16, item 4): the largest tool input
 * one answer can hold (128,000 tokens, 500 KB at the emulator's four bytes a
 * token) in raw fragments of about 16 characters (fine-grained tool
 * streaming: about 30,000 events) with no delay configured, read by the
 * bench over loopback from the Anthropic path (SSE) and the Bedrock path
 * (event-stream). Target: at least 20,000 events per second (a 1 MB input,
 * were one possible, in under 5 s), so large benchmarks measure the gateway,
 * not the emulator.
 *
 * On its own (starts an emulator in its own process):
 *   npx tsc -p tsconfig.bench.json && node bench/.out/bench/emulator-events.js
 * `npm run bench` runs it against its emulator and prints it after the table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { FINE_GRAINED_TOOL_STREAMING_BETA } from '../src/platforms/beta-support.js';
import { anthropicEndpoint, bedrockEndpoint, type Endpoint } from './endpoints.js';
import { ProcessGroup, type ServerProcess } from './launcher.js';
import { LoadClient } from './load-client.js';

/** Events per second the emulator must keep up (issue 16). */
export const EMULATOR_EVENTS_PER_SECOND = 20_000;
/** A model with 128,000 output tokens. */
const MODEL = 'claude-opus-5-5';
const INPUT_BYTES = 500 * 1024;
const DELTA_CHARACTERS = 16;

export interface EmulatorEventsResult {
  framing: 'sse' | 'eventstream';
  events: number;
  milliseconds: number;
  eventsPerSecond: number;
}

/** A `make_file` tool input of about `size` characters. */
function toolInput(size: number): { path: string; lines: string[] } {
  const lines: string[] = [];
  for (let length = 0, index = 0; length < size; index++) {
    const line = `Line ${index}: the sea and the light over the "stone", café ${index % 97}`;
    lines.push(line);
    length += line.length + 4;
  }
  return { path: 'poems/long.txt', lines };
}

/**
 * The request: fine-grained tool streaming, so the input streams in raw
 * fragments of about `chunk_chars` rather than at JSON token boundaries. The
 * Anthropic API takes it per tool (`eager_input_streaming`), Bedrock's
 * InvokeModel as a beta.
 */
function body(framing: Endpoint['framing']): Record<string, unknown> {
  const script = {
    tool_use: { name: 'make_file', input: toolInput(INPUT_BYTES) },
    chunk_chars: DELTA_CHARACTERS,
  };
  const tool = {
    name: 'make_file',
    description: 'Writes a file.',
    input_schema: { type: 'object', properties: { path: { type: 'string' } } },
  };
  return {
    model: MODEL,
    max_tokens: 128_000,
    stream: true,
    ...(framing === 'sse'
      ? { tools: [{ ...tool, eager_input_streaming: true }] }
      : { tools: [tool], anthropic_beta: [FINE_GRAINED_TOOL_STREAMING_BETA] }),
    messages: [{ role: 'user', content: `@emulator ${JSON.stringify(script)}` }],
  };
}

async function measureOne(endpoint: Endpoint): Promise<EmulatorEventsResult> {
  const client = new LoadClient(endpoint, 1);
  try {
    const request = await endpoint.prepare(body(endpoint.framing));
    const started = performance.now();
    const timing = await client.stream(request);
    const milliseconds = performance.now() - started;
    if (timing.types.at(-1) !== 'message_stop') {
      throw new Error(`the ${endpoint.framing} stream ended with ${timing.types.at(-1)}, not message_stop`);
    }
    const events = timing.types.length;
    return {
      framing: endpoint.framing,
      events,
      milliseconds,
      eventsPerSecond: events / (milliseconds / 1000),
    };
  } finally {
    await client.close();
  }
}

/** Streams the 1 MB tool input from the emulator at `emulator`, on both framings. */
export async function measureEmulatorEvents(emulator: ServerProcess): Promise<EmulatorEventsResult[]> {
  const credentials = emulator.info['credentials'] as {
    anthropicApiKey: string;
    awsAccessKeyId: string;
    awsSecretAccessKey: string;
  };
  const anthropic = anthropicEndpoint(emulator.url, {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': credentials.anthropicApiKey,
  });
  const bedrock = bedrockEndpoint(
    emulator.url,
    { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey },
    MODEL,
  );
  return [await measureOne(anthropic), await measureOne(bedrock)];
}

/** The lines `npm run bench` prints and writes. */
export function formatEmulatorEvents(results: EmulatorEventsResult[]): string[] {
  return results.map((result) => {
    const met = result.eventsPerSecond >= EMULATOR_EVENTS_PER_SECOND;
    const framing = result.framing === 'sse' ? 'Anthropic SSE' : 'Bedrock event-stream';
    return (
      `Emulator, ${INPUT_BYTES / 1024} KB tool input in ~${DELTA_CHARACTERS}-character deltas, no delay, ${framing}: ` +
      `${result.events.toLocaleString('en-US')} events in ${(result.milliseconds / 1000).toFixed(2)} s, ` +
      `${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s ` +
      `(target ≥ ${EMULATOR_EVENTS_PER_SECOND.toLocaleString('en-US')}: ${met ? 'met' : 'MISSED'})`
    );
  });
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-emulator-events-'));
  const group = new ProcessGroup(folder);
  try {
    const emulator = await group.launch({
      name: 'emulator',
      script: join(import.meta.dirname, 'servers', 'emulator.js'),
    });
    for (const line of formatEmulatorEvents(await measureEmulatorEvents(emulator))) console.log(line);
  } finally {
    await group.stopAll(3_000);
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
