/**
 * Streamed tool input with a live snapshot after every delta: ours against the
 * official SDK's MessageStream, `partial-json` and `@streamparser/json`.
 *
 * Build and run from the repository root:
 *   npx tsc -p tsconfig.json --outDir /tmp/benchout && node /tmp/benchout/bench/tool-input/tool-input-bench.js
 *
 * The input is a realistic tool call (`make_file`: an object with a long
 * `lines_of_text` array and nested stanza objects) of 10 KB, 100 KB and 1 MB,
 * split into 16-character `input_json_delta` events. Every implementation
 * reads its snapshot after every delta. An implementation whose 1 MB run
 * would take longer than a minute (extrapolated quadratically from 100 KB)
 * runs on the first part of the 1 MB stream and is extrapolated, and the
 * table says so. With `node --expose-gc` it collects garbage before each run.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { MessageStream as SdkMessageStream } from '@anthropic-ai/sdk/lib/MessageStream.js';
import { IncrementalJsonParser, MessageAccumulator } from '../../src/streaming/index.js';

const DELTA_LENGTH = 16;
const OURS_NAME = 'ours: accumulator';
const SDK_NAME = 'SDK MessageStream + inputJson';
const SIZES = [10 * 1024, 100 * 1024, 1024 * 1024];
const BUDGET_MS = 60_000;
const CAPPED_TARGET_MS = 15_000;
/** Runs expected (linearly) to be shorter than this are repeated five times, keeping the best. */
const REPEAT_BELOW_MS = 500;

/** One implementation's time for one size. */
export interface Measurement {
  /** Milliseconds for the whole input (extrapolated when `measuredCharacters` is smaller). */
  milliseconds: number;
  characters: number;
  measuredCharacters: number;
  extrapolated: boolean;
}

export interface BenchResult {
  sizes: number[];
  implementations: Record<string, Measurement[]>;
  /** Time at 1 MB over time at 10 KB, per implementation (the size grows ×102.4). */
  growth: Record<string, number>;
  /** The SDK's MessageStream time over ours (accumulator) at 1 MB. */
  sdkOverOurs: number;
  /**
   * When the SDK's 1 MB run was capped: both measured on the same first part of
   * the 1 MB stream, no extrapolation (a lower bound of the 1 MB ratio).
   */
  sdkOverOursOnPrefix: { characters: number; sdkMilliseconds: number; oursMilliseconds: number } | undefined;
}

interface Implementation {
  name: string;
  /** Feeds the first `deltaCount` deltas, reading a snapshot after each; returns the last snapshot. */
  run(stream: ToolStream, deltaCount: number): Promise<unknown> | unknown;
}

interface ToolStream {
  text: string;
  deltas: string[];
  /** The events as newline-delimited JSON lines, given the number of deltas to include. */
  lines(deltaCount: number): string[];
}

function requireFromProject(specifier: string): unknown {
  const bases = [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href];
  for (const base of bases) {
    try {
      return createRequire(base)(specifier);
    } catch {
      // try the next base
    }
  }
  throw new Error(`Cannot load ${specifier}: run the benchmark from the repository root after npm install.`);
}

/** A `make_file` tool input of about `size` characters. */
function buildToolInput(size: number): string {
  const words = ['sea', 'light', '"moon"', 'river', 'stone', 'café', 'wind\\rain', 'ember', 'night', 'glass'];
  const linesOfText: string[] = [];
  const stanzas: { start: number; rhyme: string; tags: string[]; meter: { feet: number; kind: string } }[] =
    [];
  let estimate = 200;
  for (let index = 0; estimate < size; index++) {
    const line = `Line ${index}: the ${words[index % 10]} and the ${words[(index * 7) % 10]} over ${words[(index * 3) % 10]}`;
    linesOfText.push(line);
    estimate += JSON.stringify(line).length + 1;
    if (index % 4 === 0) {
      const stanza = {
        start: index,
        rhyme: 'ABAB',
        tags: ['calm', 'blue'],
        meter: { feet: 5, kind: 'iamb' },
      };
      stanzas.push(stanza);
      estimate += JSON.stringify(stanza).length + 1;
    }
  }
  return JSON.stringify({
    path: 'poems/long.txt',
    overwrite: true,
    lines_of_text: linesOfText,
    stanzas,
    encoding: 'utf-8',
  });
}

function makeStream(size: number): ToolStream {
  const text = buildToolInput(size);
  const deltas: string[] = [];
  for (let start = 0; start < text.length; start += DELTA_LENGTH)
    deltas.push(text.slice(start, start + DELTA_LENGTH));
  const head = [
    {
      type: 'message_start',
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 120, output_tokens: 1 },
      },
    },
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_bench', name: 'make_file', input: {} },
    },
  ].map((event) => JSON.stringify(event));
  const deltaLines = deltas.map((partial_json) =>
    JSON.stringify({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json },
    }),
  );
  const tail = [
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 4000 },
    },
    { type: 'message_stop' },
  ].map((event) => JSON.stringify(event));
  return { text, deltas, lines: (deltaCount) => [...head, ...deltaLines.slice(0, deltaCount), ...tail] };
}

function implementations(): Implementation[] {
  const { MessageStream } = requireFromProject('@anthropic-ai/sdk/lib/MessageStream.js') as {
    MessageStream: typeof SdkMessageStream;
  };
  const partialJson = requireFromProject('partial-json') as typeof import('partial-json');
  const streamParser = requireFromProject('@streamparser/json') as typeof import('@streamparser/json');

  const sdk = async (stream: ToolStream, deltaCount: number, listen: boolean): Promise<unknown> => {
    const bytes = new TextEncoder().encode(stream.lines(deltaCount).join('\n'));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const messageStream = MessageStream.fromReadableStream(body);
    let last: unknown;
    if (listen) {
      messageStream.on('inputJson', (_delta, snapshot) => {
        last = snapshot;
      });
    }
    const message = await messageStream.finalMessage();
    return listen ? last : message.content[0];
  };

  return [
    {
      name: OURS_NAME,
      run(stream, deltaCount) {
        const accumulator = new MessageAccumulator();
        let last: unknown;
        for (const line of stream.lines(deltaCount)) {
          accumulator.push(JSON.parse(line));
          last = accumulator.message?.content[0]?.input;
        }
        return last;
      },
    },
    {
      name: 'ours: parser only',
      run(stream, deltaCount) {
        const parser = new IncrementalJsonParser();
        let last: unknown;
        for (let index = 0; index < deltaCount; index++) {
          parser.push(stream.deltas[index] as string);
          last = parser.snapshot;
        }
        return last;
      },
    },
    { name: SDK_NAME, run: (stream, deltaCount) => sdk(stream, deltaCount, true) },
    { name: 'SDK MessageStream, no snapshots', run: (stream, deltaCount) => sdk(stream, deltaCount, false) },
    {
      name: 'partial-json parse(buffer)',
      run(stream, deltaCount) {
        let buffer = '';
        let last: unknown;
        for (let index = 0; index < deltaCount; index++) {
          buffer += stream.deltas[index] as string;
          try {
            last = partialJson.parse(buffer, partialJson.Allow.ALL);
          } catch {
            // a delta that ends inside `\u` escapes or the like: keep the last snapshot
          }
        }
        return last;
      },
    },
    {
      name: '@streamparser/json + adapter',
      run(stream, deltaCount) {
        const parser = new streamParser.JSONParser({ emitPartialTokens: true, emitPartialValues: true });
        let root: unknown;
        // A partial value is reported but not placed in its parent: place it, and in an array remove the
        // placeholder once the finished value is pushed after it.
        let placeholder: { array: unknown[]; index: number } | undefined;
        parser.onValue = ({ value, key, parent, stack, partial }) => {
          if (root === undefined && stack.length === 1) root = parent;
          if (partial && value !== undefined && key !== undefined && parent !== undefined) {
            (parent as Record<string | number, unknown>)[key] = value;
            if (Array.isArray(parent)) placeholder = { array: parent, index: key as number };
          } else if (!partial && placeholder !== undefined && placeholder.array === parent) {
            if (parent.length === placeholder.index + 2) parent.splice(placeholder.index, 1);
            placeholder = undefined;
          }
        };
        parser.onError = () => {};
        let last: unknown;
        for (let index = 0; index < deltaCount; index++) {
          parser.write(stream.deltas[index] as string);
          last = root;
        }
        return last;
      },
    },
  ];
}

async function time(implementation: Implementation, stream: ToolStream, deltaCount: number, repeat: number) {
  let best = Number.POSITIVE_INFINITY;
  let last: unknown;
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < repeat; round++) {
    collectGarbage?.();
    const start = performance.now();
    last = await implementation.run(stream, deltaCount);
    best = Math.min(best, performance.now() - start);
  }
  return { milliseconds: best, last };
}

/** Runs the benchmark and returns the numbers; prints the table when `print` is true. */
export async function run(print = true): Promise<BenchResult> {
  const streams = SIZES.map(makeStream);
  const result: BenchResult = {
    sizes: SIZES,
    implementations: {},
    growth: {},
    sdkOverOurs: 0,
    sdkOverOursOnPrefix: undefined,
  };
  const all = implementations();
  const prefixTimes = new Map<string, number>();
  for (const implementation of all) {
    await time(implementation, streams[0] as ToolStream, streams[0]?.deltas.length ?? 0, 3);
    const measurements: Measurement[] = [];
    for (const [position, stream] of streams.entries()) {
      const total = stream.deltas.length;
      let deltaCount = total;
      let repeat = 5;
      const previous = measurements[position - 1];
      if (previous !== undefined) {
        const scale = stream.text.length / previous.characters;
        const predicted = previous.milliseconds * scale * scale;
        if (predicted > BUDGET_MS) deltaCount = Math.ceil(total * Math.sqrt(CAPPED_TARGET_MS / predicted));
        if (previous.milliseconds * scale > REPEAT_BELOW_MS) repeat = 1;
      }
      const { milliseconds, last } = await time(implementation, stream, deltaCount, repeat);
      if (deltaCount === total && !implementation.name.includes('no snapshots')) {
        assertFinal(implementation.name, last, stream.text);
      }
      const measuredCharacters = Math.min(stream.text.length, deltaCount * DELTA_LENGTH);
      const extrapolated = deltaCount < total;
      if (extrapolated) prefixTimes.set(implementation.name, milliseconds);
      const ratio = stream.text.length / measuredCharacters;
      measurements.push({
        milliseconds: extrapolated ? milliseconds * ratio * ratio : milliseconds,
        characters: stream.text.length,
        measuredCharacters,
        extrapolated,
      });
    }
    result.implementations[implementation.name] = measurements;
    const first = measurements[0]?.milliseconds ?? 0;
    result.growth[implementation.name] = (measurements[measurements.length - 1]?.milliseconds ?? 0) / first;
  }
  const oursAtLargest = result.implementations[OURS_NAME]?.at(-1)?.milliseconds ?? 0;
  const sdkAtLargest = result.implementations[SDK_NAME]?.at(-1)?.milliseconds ?? 0;
  result.sdkOverOurs = sdkAtLargest / oursAtLargest;
  const sdkOnPrefix = prefixTimes.get(SDK_NAME);
  const sdkLargest = result.implementations[SDK_NAME]?.at(-1);
  const ours = all.find((implementation) => implementation.name === OURS_NAME);
  const largest = streams.at(-1);
  if (sdkOnPrefix !== undefined && sdkLargest !== undefined && ours !== undefined && largest !== undefined) {
    const deltaCount = Math.ceil(sdkLargest.measuredCharacters / DELTA_LENGTH);
    const { milliseconds } = await time(ours, largest, deltaCount, 3);
    result.sdkOverOursOnPrefix = {
      characters: sdkLargest.measuredCharacters,
      sdkMilliseconds: sdkOnPrefix,
      oursMilliseconds: milliseconds,
    };
  }
  if (print) printTable(result);
  return result;
}

function assertFinal(name: string, snapshot: unknown, text: string): void {
  if (JSON.stringify(snapshot) !== JSON.stringify(JSON.parse(text))) {
    throw new Error(`${name}: the final snapshot differs from JSON.parse of the input`);
  }
}

function printTable(result: BenchResult): void {
  const label = (size: number) => (size >= 1024 * 1024 ? `${size / 1024 / 1024} MB` : `${size / 1024} KB`);
  const columns = ['implementation', ...result.sizes.map(label), 'growth 10 KB→1 MB'];
  const rows = Object.entries(result.implementations).map(([name, measurements]) => [
    name,
    ...measurements.map((measurement) =>
      measurement.extrapolated
        ? `~${format(measurement.milliseconds)} ms*`
        : `${format(measurement.milliseconds)} ms`,
    ),
    `×${format(result.growth[name] ?? 0)}`,
  ]);
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(
    `Tool input in ${DELTA_LENGTH}-character deltas, a snapshot read after every delta (Node ${process.version})`,
  );
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  for (const [name, measurements] of Object.entries(result.implementations)) {
    const capped = measurements.find((measurement) => measurement.extrapolated);
    if (capped) {
      console.log(
        `* ${name}: measured on the first ${format(capped.measuredCharacters / 1024)} KB of the ` +
          `${format(capped.characters / 1024)} KB stream and extrapolated quadratically ` +
          '(its work per delta grows with the buffer).',
      );
    }
  }
  console.log(
    `Linear growth would be about ×${format(result.sizes.at(-1)! / result.sizes[0]!)}; quadratic about ×10,000.`,
  );
  console.log(`${SDK_NAME} / ${OURS_NAME} at 1 MB: ×${format(result.sdkOverOurs)}`);
  const prefix = result.sdkOverOursOnPrefix;
  if (prefix !== undefined) {
    console.log(
      `Both measured on the same first ${format(prefix.characters / 1024)} KB of the 1 MB stream: ` +
        `${format(prefix.sdkMilliseconds)} ms / ${format(prefix.oursMilliseconds)} ms = ` +
        `×${format(prefix.sdkMilliseconds / prefix.oursMilliseconds)} (a lower bound for 1 MB, measured, not extrapolated)`,
    );
  }
}

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
