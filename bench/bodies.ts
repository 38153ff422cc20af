/**
 * The Messages bodies the bench sends. Each carries an emulator script in its
 * last user message (`@emulator {…}`), which every gateway forwards
 * untouched, so the same answer comes back whichever way the request went.
 */

export const MODEL = 'claude-sonnet-4-6';

/** What the emulator should answer (see the README's "The scripted model"). */
export interface Script {
  text?: string;
  min_chars?: number;
  chunk_chars?: number;
  delay_ms?: number;
  /** Stamp each text delta with the emulator's monotonic clock when it was written. */
  stamp?: boolean;
}

/** A short answer for the latency runs. */
export const SHORT_ANSWER: Script = { text: 'Done: the file is saved.' };
/**
 * About 200 text deltas of 16 characters, 5 ms apart (plus the framing events), for the streaming
 * run; each stamped with the time the emulator wrote it, for the per-event delay.
 */
export const PACED_STREAM: Script = { min_chars: 3200, chunk_chars: 16, delay_ms: 5, stamp: true };
/** A short stream (15 events, no pause) for the throughput run. */
export const SHORT_STREAM: Script = {
  text: 'The build passed and the tests are green; nothing else to do here.',
  chunk_chars: 8,
};
/** The first event at once, the next a minute later: an idle stream. */
export const IDLE_STREAM: Script = { text: 'idle', delay_ms: 60_000 };

function scriptText(script: Script): string {
  return `@emulator ${JSON.stringify(script)}`;
}

/** A small seeded random number generator (mulberry32): the same bodies on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 300 made-up words, common letters drawn more often. With the skewed draw in `prose`, the text
 * compresses about as well as real text does (zstd level 1: 3.5 times, as this repository's
 * sources do), and the whole 104 KB body, with its repeated tool schemas, about 6 times. Ten
 * words in turn compressed 80 times, which flattered `store.compressBodies`.
 */
const VOCABULARY = (() => {
  const random = seededRandom(12_345);
  const letters = 'etaoinshrdlucmfwypvbgkqjxz';
  return Array.from({ length: 300 }, () => {
    let word = '';
    for (let length = 2 + Math.floor(random() * 9); word.length < length; )
      word += letters[Math.floor(random() ** 1.6 * letters.length)];
    return word;
  });
})();

/** Text of `length` characters, the same for the same `seed`. */
function prose(seed: number, length: number): string {
  const random = seededRandom(Math.imul(seed + 1, 2_654_435_761));
  let text = '';
  while (text.length < length) {
    text += VOCABULARY[Math.floor(random() ** 2 * VOCABULARY.length)];
    text += random() < 0.08 ? '. ' : ' ';
  }
  return text.slice(0, length);
}

/**
 * A body shaped like Claude Code's (a system prompt in blocks with
 * cache_control, many tools with JSON schemas, earlier turns with tool use
 * and results) of at least `size` bytes, ending with the script.
 */
function largeBody(script: Script, stream: boolean, size: number): Record<string, unknown> {
  const tools = Array.from({ length: 24 }, (_, index) => ({
    name: `tool_${index}`,
    description: prose(index, 900),
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: prose(index + 1, 200) },
        content: { type: 'string', description: prose(index + 2, 200) },
        mode: { type: 'string', enum: ['create', 'append', 'replace'] },
      },
      required: ['path'],
    },
  }));
  const body: Record<string, unknown> = {
    model: MODEL,
    max_tokens: 4096,
    stream,
    system: [
      { type: 'text', text: 'You are Claude Code, a coding assistant.' },
      { type: 'text', text: prose(3, 12_000), cache_control: { type: 'ephemeral' } },
    ],
    tools,
    metadata: { user_id: 'user_bench_session_0001' },
  };
  const messages: Record<string, unknown>[] = [];
  const finalTurn = { role: 'user', content: [{ type: 'text', text: scriptText(script) }] };
  for (let turn = 0; JSON.stringify({ ...body, messages: [...messages, finalTurn] }).length < size; turn++) {
    const id = `toolu_bench_${String(turn).padStart(4, '0')}`;
    messages.push(
      { role: 'user', content: [{ type: 'text', text: prose(turn, 1_500) }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: prose(turn + 5, 300) },
          { type: 'tool_use', id, name: 'tool_1', input: { path: `src/file_${turn}.ts`, mode: 'create' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: prose(turn + 9, 2_000) }] },
      { role: 'assistant', content: [{ type: 'text', text: prose(turn + 11, 200) }] },
    );
  }
  body['messages'] = [...messages, finalTurn];
  return body;
}

/**
 * A Messages request body: a one-line prompt, or a Claude Code-like body of
 * at least `size` bytes as JSON.
 *
 * @example
 * JSON.stringify(messagesBody({ script: SHORT_ANSWER, stream: false, size: 100 * 1024 })).length; // ≥ 102,400
 */
export function messagesBody(options: {
  script: Script;
  stream: boolean;
  size?: number;
}): Record<string, unknown> {
  if (options.size !== undefined) return largeBody(options.script, options.stream, options.size);
  return {
    model: MODEL,
    max_tokens: 1024,
    stream: options.stream,
    messages: [{ role: 'user', content: scriptText(options.script) }],
  };
}
