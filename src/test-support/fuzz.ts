/**
 * Test and bench support: a deterministic fuzzer for the gateway's three
 * client dialects. `fuzzCase(seed, index)` builds one request (malformed,
 * edge-case or valid) from a seeded PRNG, so a failure names a seed and an
 * index that rebuild the same bytes; `sendRaw` sends it over a plain TCP
 * socket as HTTP/1.1 (any method, path, header or body, cut short if asked)
 * with a deadline; `checkAnswer` says what is wrong with the answer.
 *
 * No dependency beyond node: it is imported by `src/gateway/fuzz.test.ts`
 * and by `bench/fuzz.ts` (compiled with tsconfig.bench.json).
 */

import net from 'node:net';
import { gzipSync } from 'node:zlib';

export type FuzzDialect = 'anthropic' | 'bedrock' | 'vertex';

/** How the bytes go out. */
export type Delivery =
  /** The whole request, then wait for the answer. */
  | 'whole'
  /** Part of the body, then the write side closed (the client gave up). */
  | 'cut-close'
  /** Part of the body, then nothing: the gateway's body timeout must answer. */
  | 'cut-stall'
  /** Part of the headers, then nothing: the gateway's header timeout must close it. */
  | 'headers-stall';

export interface FuzzCase {
  index: number;
  /** What the case does, for the summary and failure messages. */
  label: string;
  /** The dialect the path belongs to (the gateway's rule), which any error must be in. */
  dialect: FuzzDialect;
  method: string;
  /** The request target as sent (not encoded further). */
  path: string;
  /** Header lines as sent, in order; `content-length` is added unless the case sets its own or is chunked. */
  headers: [string, string][];
  body: Buffer;
  delivery: Delivery;
  /** A complete, valid Messages request: must be answered 200. */
  valid: boolean;
  /** A streamed valid request. */
  stream: boolean;
  /** The request line and headers are well-formed HTTP, so the gateway's handler sees it. */
  reachesHandler: boolean;
  /** POST to a Messages or count-tokens path of a dialect: the handler must log a row for it. */
  messagesPath: boolean;
}

// ---------------------------------------------------------------- PRNG

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

// ---------------------------------------------------------------- values

const MODELS: Record<FuzzDialect, readonly string[]> = {
  anthropic: ['sonnet', 'haiku', 'claude-haiku-4-5', 'claude-opus-4-6', 'claude-sonnet-4-5'],
  bedrock: [
    'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    'us.anthropic.claude-haiku-4-5-20251001-v1%3A0',
    'global.anthropic.claude-opus-4-6-v1',
    'global.anthropic.claude-sonnet-5-5',
  ],
  vertex: ['claude-haiku-4-5@20251001', 'claude-opus-4-6', 'claude-sonnet-5-5'],
};

const VERSIONS: Record<FuzzDialect, string | undefined> = {
  anthropic: undefined,
  bedrock: 'bedrock-2023-05-31',
  vertex: 'vertex-2023-10-16',
};

/** Strings that break naive code: empty, huge, control characters, lone surrogates, RTL, NUL, path and header tricks. */
function oddString(random: Random): string {
  switch (random.int(16)) {
    case 0:
      return '';
    case 1:
      return ' ';
    case 2:
      return 'x'.repeat(random.pick([1_000, 10_000, 100_000]));
    case 3:
      return '\u0000\u0001\u0007\b\f\u001b\u007f';
    case 4:
      return '\ud800 lone \udfff surrogates';
    case 5:
      return 'שלום \u202e evil \u200b zero-width ﷽ 🧨🧨';
    case 6:
      return '\r\nx-injected: 1\r\n\r\nGET / HTTP/1.1';
    case 7:
      return '../../../../etc/passwd';
    case 8:
      return '%00%2F%3A%ZZ%';
    case 9:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style string, meant literally
      return '${jndi:ldap://x}{{7*7}}<script>alert(1)</script>';
    case 10:
      return 'claude-sonnet-4-5';
    case 11:
      return '\\u0000\\"';
    case 12:
      return 'null';
    case 13:
      return 'é'.repeat(5_000);
    case 14:
      return String.fromCharCode(...Array.from({ length: 64 }, (_, i) => i));
    default:
      return 'hello';
  }
}

/** A value of any JSON type, sometimes odd, sometimes deep. */
function oddValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 12 : 15)) {
    case 0:
      return null;
    case 1:
      return true;
    case 2:
      return false;
    case 3:
      return random.pick([0, -1, 1, 1.5, -0.0001, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 4096]);
    case 4:
      return oddString(random);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return random.int(100);
    case 8:
      return 'text';
    case 9:
      return { type: oddString(random) };
    case 10:
      return [null];
    case 11:
      return { type: 'text', text: random.chance(0.5) ? 'hi' : oddValue(random, depth + 1) };
    case 12:
      return [oddValue(random, depth + 1), oddValue(random, depth + 1)];
    case 13:
      return { [oddString(random).slice(0, 40)]: oddValue(random, depth + 1) };
    default:
      return nested(random.pick([10, 100, 513, 600]));
  }
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

/** A content block: valid kinds, and kinds with wrong types inside. */
function block(random: Random): unknown {
  switch (random.int(10)) {
    case 0:
      return { type: 'text', text: 'hello there' };
    case 1:
      return { type: 'text', text: oddValue(random) };
    case 2:
      return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: oddValue(random) } };
    case 3:
      return { type: 'tool_use', id: oddValue(random), name: 'f', input: oddValue(random) };
    case 4:
      return { type: 'tool_result', tool_use_id: 'toolu_1', content: oddValue(random) };
    case 5:
      return { type: 'text', text: 'cached', cache_control: oddValue(random) };
    case 6:
      return { type: 'thinking', thinking: 'hm', signature: oddValue(random) };
    case 7:
      return { type: 'document', source: oddValue(random) };
    case 8:
      return oddValue(random);
    default:
      return { type: 'future_block_kind', anything: oddValue(random) };
  }
}

/** A valid body for the dialect. */
function validBody(random: Random, dialect: FuzzDialect, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    max_tokens: random.pick([16, 64, 200]),
    messages: [{ role: 'user', content: `fuzz ${random.int(1e9)}` }],
  };
  if (dialect === 'anthropic') {
    body['model'] = random.pick(MODELS.anthropic);
    if (stream) body['stream'] = true;
  }
  const version = VERSIONS[dialect];
  if (version) body['anthropic_version'] = version;
  if (random.chance(0.2)) body['system'] = 'Be brief.';
  if (random.chance(0.1)) body['metadata'] = { user_id: `user-${random.int(50)}` };
  if (random.chance(0.1)) body['temperature'] = 0.5;
  return body;
}

/** The fields the gateway (or the platform behind it) reads, each given a wrong or edge-case value. */
const MUTATIONS: readonly ((body: Record<string, unknown>, random: Random) => string)[] = [
  (body, random) => {
    body['model'] = oddValue(random);
    return 'model';
  },
  (body, random) => {
    body['model'] = oddString(random);
    return 'model string';
  },
  (body, random) => {
    body['max_tokens'] = random.chance(0.5)
      ? oddValue(random)
      : random.pick([0, -5, 1.5, '100', 1e9, 2 ** 53, null]);
    return 'max_tokens';
  },
  (body) => {
    delete body['max_tokens'];
    return 'no max_tokens';
  },
  (body, random) => {
    body['messages'] = oddValue(random);
    return 'messages';
  },
  (body, random) => {
    body['messages'] = [{ role: oddValue(random), content: 'hi' }];
    return 'role';
  },
  (body, random) => {
    body['messages'] = [{ role: 'user', content: oddValue(random) }];
    return 'content';
  },
  (body, random) => {
    body['messages'] = [
      { role: 'user', content: Array.from({ length: 1 + random.int(4) }, () => block(random)) },
    ];
    return 'content blocks';
  },
  (body, random) => {
    body['messages'] = Array.from({ length: 1 + random.int(30) }, (_, i) => ({
      role: random.chance(0.9) ? (i % 2 ? 'assistant' : 'user') : oddString(random),
      content: random.chance(0.7) ? `turn ${i}` : [block(random)],
    }));
    return 'many turns';
  },
  (body, random) => {
    body['system'] = random.chance(0.5) ? oddValue(random) : [block(random), block(random)];
    return 'system';
  },
  (body, random) => {
    body['stream'] = oddValue(random);
    return 'stream';
  },
  (body, random) => {
    body['tools'] = random.chance(0.4)
      ? oddValue(random)
      : [{ name: oddValue(random), description: oddValue(random), input_schema: oddValue(random) }];
    return 'tools';
  },
  (body, random) => {
    body['tool_choice'] = random.chance(0.5) ? oddValue(random) : { type: 'tool', name: oddValue(random) };
    return 'tool_choice';
  },
  (body, random) => {
    body['metadata'] = random.chance(0.5) ? oddValue(random) : { user_id: oddValue(random) };
    return 'metadata';
  },
  (body, random) => {
    body['thinking'] = random.chance(0.4)
      ? oddValue(random)
      : { type: random.pick(['enabled', 'disabled', 'adaptive', 'nope']), budget_tokens: oddValue(random) };
    return 'thinking';
  },
  (body, random) => {
    body['anthropic_version'] = oddValue(random);
    return 'anthropic_version';
  },
  (body, random) => {
    body['anthropic_beta'] = random.chance(0.5) ? oddValue(random) : [oddString(random), 5, null];
    return 'anthropic_beta';
  },
  (body, random) => {
    body[random.pick(['temperature', 'top_k', 'top_p', 'stop_sequences', 'service_tier', 'container'])] =
      oddValue(random);
    return 'sampling field';
  },
  (body, random) => {
    body[oddString(random).slice(0, 100) || 'x'] = oddValue(random);
    return 'unknown field';
  },
  (body, random) => {
    body['metadata'] = nested(random.pick([400, 513, 2_000]));
    return 'deep nesting';
  },
];

// ---------------------------------------------------------------- paths

function encodeModel(model: string, random: Random): string {
  switch (random.int(6)) {
    case 0:
      return encodeURIComponent(model);
    case 1:
      return model.replace(/:/g, '%3a');
    default:
      return model;
  }
}

function messagesPath(random: Random, dialect: FuzzDialect, stream: boolean, model: string): string {
  if (dialect === 'anthropic') {
    return random.pick(['/v1/messages', '/v1/messages?beta=true', '/anthropic/v1/messages']);
  }
  if (dialect === 'bedrock') {
    return `/model/${encodeModel(model, random)}/${stream ? 'invoke-with-response-stream' : 'invoke'}`;
  }
  const prefix = random.chance(0.8) ? '/v1' : '';
  const location = random.pick(['global', 'us-east5', 'europe-west1']);
  return `${prefix}/projects/p-${random.int(5)}/locations/${location}/publishers/anthropic/models/${encodeModel(model, random)}:${stream ? 'streamRawPredict' : 'rawPredict'}`;
}

/** Paths that are nearly right, or not at all: each with the dialect the gateway answers it in. */
function oddPath(random: Random): { path: string; dialect: FuzzDialect; messages: boolean } {
  const paths: [string, FuzzDialect, boolean][] = [
    ['/v1/messages/', 'anthropic', false],
    ['//v1/messages', 'anthropic', false],
    ['/V1/MESSAGES', 'anthropic', false],
    ['/v1/messages%00', 'anthropic', false],
    ['/v1/messages/count_tokens', 'anthropic', true],
    ['/v1/messages/batches', 'anthropic', false],
    ['/v1/complete', 'anthropic', false],
    ['/v1/models/%E0%A4%A', 'anthropic', false],
    ['/v1/models/claude-sonnet-4-5', 'anthropic', false],
    ['/', 'anthropic', false],
    ['/%', 'anthropic', false],
    ['/admin/keys', 'anthropic', false],
    ['/admin/requests/%ZZ', 'anthropic', false],
    [`/${'a/'.repeat(2_000)}`, 'anthropic', false],
    ['/model/', 'bedrock', false],
    ['/model//invoke', 'bedrock', false],
    ['/model/%ZZ/invoke', 'bedrock', true],
    ['/model/%E0%A4%A/invoke', 'bedrock', true],
    ['/model/claude%20sonnet/invoke', 'bedrock', true],
    ['/model/..%2F..%2Fadmin/invoke', 'bedrock', true],
    ['/model/x/invoke/extra', 'bedrock', false],
    ['/model/global.anthropic.claude-haiku-4-5-20251001-v1:0/converse', 'bedrock', false],
    ['/model/global.anthropic.claude-haiku-4-5-20251001-v1:0/count-tokens', 'bedrock', true],
    [`/model/${'m'.repeat(3_000)}/invoke`, 'bedrock', true],
    ['/inference-profiles/%ZZ', 'bedrock', false],
    ['/foundation-models/nope/deeper', 'bedrock', false],
    ['/v1/projects/p/locations/global/publishers/anthropic/models/m:predict', 'vertex', false],
    ['/v1/projects/p/locations/%2F/publishers/anthropic/models/claude-haiku-4-5:rawPredict', 'vertex', true],
    ['/v1/projects/%ZZ/locations/global/publishers/anthropic/models/%ZZ:rawPredict', 'vertex', true],
    ['/v1/projects/p/locations/global/publishers/anthropic/models/count-tokens:rawPredict', 'vertex', true],
    [
      '/projects/p/locations/nowhere-9/publishers/anthropic/models/claude-haiku-4-5:streamRawPredict',
      'vertex',
      true,
    ],
    ['/v1/projects/p/locations/global/publishers/google/models/gemini:rawPredict', 'vertex', false],
  ];
  const [path, dialect, messages] = random.pick(paths);
  return { path, dialect, messages };
}

// ---------------------------------------------------------------- cases

const BODY_LIMIT_HINT = 1_048_576;

/**
 * One fuzz case, a pure function of the seed and the index.
 *
 * @example
 * const request = fuzzCase(1, 42); // the same bytes every time
 */
export function fuzzCase(seed: number, index: number, options: { key?: string } = {}): FuzzCase {
  const random = new Random((seed * 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  const dialect = random.pick<FuzzDialect>(['anthropic', 'bedrock', 'vertex']);
  const stream = random.chance(0.3);
  const model = random.pick(MODELS[dialect]);
  const body = validBody(random, dialect, stream);
  const fuzz: FuzzCase = {
    index,
    label: 'valid',
    dialect,
    method: 'POST',
    path: messagesPath(random, dialect, stream, model),
    headers: [
      ['host', '127.0.0.1'],
      ['content-type', 'application/json'],
      ['anthropic-version', '2023-06-01'],
      ['connection', 'close'],
    ],
    body: Buffer.alloc(0),
    delivery: 'whole',
    valid: true,
    stream,
    reachesHandler: true,
    messagesPath: true,
  };
  if (options.key && random.chance(0.9)) {
    fuzz.headers.push(
      random.chance(0.5) ? ['x-api-key', options.key] : ['authorization', `Bearer ${options.key}`],
    );
  } else if (options.key) {
    fuzz.valid = false;
    fuzz.label = 'no or wrong gateway key';
    const wrong = random.pick([
      ['x-api-key', ''],
      ['x-api-key', `${options.key}x`],
      ['authorization', 'Bearer'],
      ['authorization', 'Basic Zm9vOmJhcg=='],
      ['authorization', 'AWS4-HMAC-SHA256 Credential=/'],
      ['authorization', `AWS4-HMAC-SHA256 Credential=${options.key.slice(0, 12)}/x, Signature=0`],
    ] as [string, string][]);
    if (random.chance(0.8)) fuzz.headers.push(wrong);
  }
  let text: string | undefined = JSON.stringify(body);
  let bytes: Buffer | undefined;
  const family = fuzz.valid ? random.int(20) : 0;
  const invalid = (label: string) => {
    fuzz.label = label;
    fuzz.valid = false;
  };
  switch (family) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      break; // valid, as built
    case 6:
    case 7:
    case 8:
    case 9:
    case 10: {
      const mutations = 1 + random.int(2);
      const labels: string[] = [];
      for (let i = 0; i < mutations; i++) labels.push(random.pick(MUTATIONS)(body, random));
      text = JSON.stringify(body);
      invalid(`field: ${labels.join(' + ')}`);
      break;
    }
    case 11: {
      const cut = random.int(text.length);
      text = random.pick([
        text.slice(0, cut),
        `${text.slice(0, cut)}\u0000${text.slice(cut)}`,
        text.replace('{', '{,'),
        `${text}}`,
        `${text} trailing`,
        text.replace(/"/g, "'"),
        '',
        'null',
        '[]',
        '"a string"',
        '42',
        '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}',
        `\ufeff${text}`,
        text.replace(':', ': NaN, "z":'),
      ]);
      invalid('broken JSON');
      break;
    }
    case 12: {
      const key = random.pick(['max_tokens', 'messages', 'model', 'role', 'stream', 'anthropic_version']);
      text = text.replace(
        `"${key}":`,
        `"${key}":1,"${random.chance(0.5) ? key : key.replace(/s/, '\\u0073')}":`,
      );
      invalid(`duplicate key ${key}`);
      break;
    }
    case 13: {
      const choice = random.int(6);
      if (choice === 0) fuzz.headers = fuzz.headers.filter(([name]) => name !== 'content-type');
      else
        setHeader(
          fuzz,
          'content-type',
          random.pick([
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            'application/json; charset=latin1',
            '',
            'application/json, text/plain',
          ]),
        );
      if (choice === 5) bytes = Buffer.from(text, 'utf16le');
      invalid('content type');
      break;
    }
    case 14: {
      const encoding = random.pick([
        'gzip',
        'deflate',
        'br',
        'compress',
        'gzip, gzip',
        'identity',
        'x-garbage',
        '',
      ]);
      setHeader(fuzz, 'content-encoding', encoding);
      const kind = random.int(4);
      if (kind === 0) bytes = gzipSync(text);
      else if (kind === 1) bytes = Buffer.from(Array.from({ length: 64 }, () => random.int(256)));
      else if (kind === 2) bytes = gzipSync(text).subarray(0, 20);
      else
        bytes = gzipSync(
          JSON.stringify({ ...body, messages: [{ role: 'user', content: 'z'.repeat(2_000_000) }] }),
        );
      invalid(`content-encoding ${encoding || '(empty)'}`);
      // A real gzip of a valid body is still a valid request.
      if (kind === 0 && (encoding === 'gzip' || encoding === 'gzip, gzip')) fuzz.valid = encoding === 'gzip';
      break;
    }
    case 15: {
      const odd = oddPath(random);
      fuzz.path = odd.path;
      fuzz.dialect = odd.dialect;
      fuzz.messagesPath = odd.messages;
      if (random.chance(0.3)) {
        fuzz.method = random.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
        fuzz.messagesPath = false;
      }
      invalid(`path ${odd.path.slice(0, 60)}`);
      break;
    }
    case 16: {
      fuzz.method = random.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE']);
      fuzz.messagesPath = false;
      if (fuzz.method === 'GET' || fuzz.method === 'HEAD') text = random.chance(0.5) ? '' : text;
      invalid(`method ${fuzz.method}`);
      break;
    }
    case 17: {
      const header = random.pick([
        'anthropic-version',
        'anthropic-beta',
        'x-claude-code-session-id',
        'user-agent',
        'x-api-key',
        'accept',
        'accept-encoding',
        'x-emulator-script',
        'authorization',
      ]);
      setHeader(
        fuzz,
        header,
        random.pick([
          '',
          ',,,',
          'x'.repeat(8_000),
          '\u00e9\u00ff latin1',
          'fine-grained-tool-streaming-2025-05-14, , nope-2099-01-01',
          '{"text": 5}',
          '{"tool_use": {"name": "f", "raw_input": "{\\"a\\": tru"}}',
          '{"min_chars": 100000, "chunk_chars": 1}',
          'null',
          'Bearer ',
          '\t padded \t',
        ]),
      );
      invalid(`header ${header}`);
      // Well-formed odd values of headers the gateway only forwards may still be served.
      break;
    }
    case 18: {
      // Malformed HTTP the parser must refuse: the handler never sees it.
      const raw = random.int(9);
      invalid('malformed HTTP');
      fuzz.reachesHandler = true;
      if (raw === 0) {
        fuzz.headers.push(['x-bad', 'a\u0000b']);
        fuzz.reachesHandler = false;
      } else if (raw === 1) {
        fuzz.headers.push(['content-length', '5']);
        fuzz.headers.push(['content-length', '7']);
        fuzz.reachesHandler = false;
      } else if (raw === 2) {
        fuzz.headers.push(['transfer-encoding', 'chunked']);
        fuzz.headers.push(['content-length', String(Buffer.byteLength(text))]);
        fuzz.reachesHandler = false;
      } else if (raw === 3) {
        fuzz.headers.push(['bad header name', 'x']);
        fuzz.reachesHandler = false;
      } else if (raw === 4) {
        fuzz.method = 'FOO';
        fuzz.reachesHandler = false;
      } else if (raw === 5) {
        fuzz.headers.push(['x-big', 'y'.repeat(20_000)]);
        fuzz.reachesHandler = false;
      } else if (raw === 6) {
        // A valid chunked body: still a valid request.
        fuzz.headers.push(['transfer-encoding', 'chunked']);
        const chunks = Buffer.from(text);
        const half = Math.floor(chunks.length / 2);
        bytes = Buffer.concat([
          Buffer.from(`${half.toString(16)}\r\n`),
          chunks.subarray(0, half),
          Buffer.from(`\r\n${(chunks.length - half).toString(16)}\r\n`),
          chunks.subarray(half),
          Buffer.from('\r\n0\r\n\r\n'),
        ]);
        fuzz.label = 'chunked body';
        fuzz.valid = true;
      } else if (raw === 7) {
        fuzz.headers.push(['transfer-encoding', 'chunked']);
        bytes = Buffer.from(`zz\r\n${text}\r\n0\r\n\r\n`);
        fuzz.reachesHandler = true; // the head is fine; the body's framing is not
      } else {
        fuzz.headers.push(['expect', '100-continue']);
        fuzz.label = 'expect 100-continue';
        fuzz.valid = true;
      }
      break;
    }
    default: {
      const delivery = random.pick<Delivery>(['cut-close', 'cut-close', 'cut-stall', 'headers-stall']);
      fuzz.delivery = delivery;
      if (delivery === 'headers-stall') fuzz.messagesPath = false;
      if (random.chance(0.3) && delivery !== 'headers-stall') {
        text = JSON.stringify({ ...body, messages: [{ role: 'user', content: oddString(random) }] });
      }
      invalid(`delivery ${delivery}`);
    }
  }
  fuzz.body = bytes ?? Buffer.from(text ?? '', 'utf8');
  if (fuzz.body.length > BODY_LIMIT_HINT) fuzz.valid = false;
  return fuzz;
}

function setHeader(fuzz: FuzzCase, name: string, value: string): void {
  fuzz.headers = fuzz.headers.filter(([existing]) => existing !== name);
  fuzz.headers.push([name, value]);
}

// ---------------------------------------------------------------- client

export interface RawAnswer {
  /** 0 when no answer came (closed without one, or a hang). */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Closed by the gateway before any answer (or after part of one). */
  closedEarly: boolean;
  /** The deadline passed before the gateway answered or closed: a hang. */
  timedOut: boolean;
  /** Everything received, as latin1 text, for searching (secrets, stack traces). */
  raw: string;
  ms: number;
}

/**
 * Sends one case as HTTP/1.1 on its own connection and reads until the
 * gateway closes it (the case asks for `connection: close`), or the deadline.
 */
export function sendRaw(url: string, fuzz: FuzzCase, timeoutMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(received), timedOut, performance.now() - started));
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => {
      const chunked = fuzz.headers.some(
        ([name, value]) => name === 'transfer-encoding' && value === 'chunked',
      );
      const hasLength = fuzz.headers.some(([name]) => name === 'content-length');
      const lines = [`${fuzz.method} ${fuzz.path} HTTP/1.1`];
      for (const [name, value] of fuzz.headers) lines.push(`${name}: ${value}`);
      if (!chunked && !hasLength) lines.push(`content-length: ${fuzz.body.length}`);
      const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
      if (fuzz.delivery === 'headers-stall') {
        socket.write(head.subarray(0, Math.max(1, Math.floor(head.length / 2))));
        return;
      }
      if (fuzz.delivery === 'whole') {
        socket.write(Buffer.concat([head, fuzz.body]));
        return;
      }
      // Part of the body: at least one byte short of what content-length says.
      const part = fuzz.body.subarray(
        0,
        Math.max(0, Math.min(fuzz.body.length - 1, Math.floor(fuzz.body.length / 2))),
      );
      socket.write(Buffer.concat([head, part]));
      if (fuzz.delivery === 'cut-close') socket.end();
    });
  });
}

function parseAnswer(bytes: Buffer, timedOut: boolean, ms: number): RawAnswer {
  const raw = bytes.toString('latin1');
  let offset = 0;
  // Skip interim answers (100 Continue).
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', offset);
    const line = /^HTTP\/1\.[01] (\d{3})/.exec(raw.slice(offset, offset + 20));
    if (end === -1 || !line)
      return { status: 0, headers: {}, body: Buffer.alloc(0), closedEarly: !timedOut, timedOut, raw, ms };
    const status = Number(line[1]);
    if (status >= 100 && status < 200) {
      offset = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const headerLine of raw.slice(offset, end).split('\r\n').slice(1)) {
      const colon = headerLine.indexOf(':');
      if (colon > 0)
        headers[headerLine.slice(0, colon).trim().toLowerCase()] = headerLine.slice(colon + 1).trim();
    }
    let body = bytes.subarray(end + 4);
    let complete = true;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const decoded = dechunk(body);
      body = decoded.body;
      complete = decoded.complete;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      complete = body.length >= length;
      body = body.subarray(0, length);
    }
    return { status, headers, body, closedEarly: !complete && !timedOut, timedOut, raw, ms };
  }
}

function dechunk(bytes: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd === -1) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(bytes.toString('latin1', offset, lineEnd), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
    if (offset > bytes.length) return { body: Buffer.concat(parts), complete: false };
  }
}

// ---------------------------------------------------------------- checks

/** Text that looks like a JavaScript stack frame. */
const STACK_FRAME = /\n\s{2,}at .+(\(|:\d+:\d+)/;

/**
 * What is wrong with an answer, or nothing. `secrets` must never appear;
 * errors must be in the path's dialect; a valid request must be served.
 */
export function checkAnswer(fuzz: FuzzCase, answer: RawAnswer, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  if (answer.timedOut) problems.push('hang: no answer and not closed before the deadline');
  for (const secret of secrets)
    if (answer.raw.includes(secret)) problems.push(`upstream secret in the answer: ${secret}`);
  if (STACK_FRAME.test(answer.raw)) problems.push('stack trace text in the answer');
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (fuzz.delivery === 'cut-stall' && answer.status !== 0 && answer.status !== 408)
    problems.push(`a body that stopped arriving got ${answer.status}, not 408`);
  if (fuzz.valid && fuzz.delivery === 'whole' && answer.status !== 200)
    problems.push(
      `a valid request got ${answer.status || 'no answer'}: ${answer.body.toString('utf8').slice(0, 300)}`,
    );
  if (answer.status === 200 && fuzz.valid && fuzz.stream && fuzz.dialect !== 'bedrock') {
    if (!answer.body.toString('utf8').includes('message_stop'))
      problems.push('a stream without message_stop');
  }
  if (fuzz.delivery === 'whole' && answer.status === 0 && !answer.timedOut)
    problems.push('closed without an answer');
  // A HEAD answer has no body. An answer without the gateway's request id came from the connection
  // layer (Node's HTTP parser, the header and body timeouts): in the path's dialect when the request
  // line could be read, else in the Anthropic shape; a header timeout may have read no path at all.
  if (answer.status >= 400 && answer.status < 500 && fuzz.method !== 'HEAD') {
    const handler = answer.headers['x-claude-gateway-request-id'] !== undefined;
    const pathReadable = fuzz.path.startsWith('/') && !/[\s\x00-\x1f]/.test(fuzz.path);
    const dialect = handler || pathReadable ? fuzz.dialect : 'anthropic';
    const shape = dialectShapeProblem(dialect, answer);
    const headerTimeout = !handler && answer.status === 408 && !dialectShapeProblem('anthropic', answer);
    if (shape && !headerTimeout) problems.push(shape);
  }
  return problems;
}

/** Whether a 4xx the gateway's handler answered is in the dialect's own error shape. */
export function dialectShapeProblem(dialect: FuzzDialect, answer: RawAnswer): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return `a ${dialect} error body that is not JSON: ${answer.body.toString('utf8').slice(0, 200)}`;
  }
  const anthropic = (value: unknown) => {
    const object = value as { type?: unknown; error?: { type?: unknown; message?: unknown } } | null;
    return (
      object?.type === 'error' &&
      typeof object.error?.type === 'string' &&
      typeof object.error.message === 'string' &&
      object.error.message.length > 0
    );
  };
  const describe = `${answer.status} ${JSON.stringify(json).slice(0, 200)}`;
  if (dialect === 'bedrock') {
    const type = answer.headers['x-amzn-errortype'] ?? '';
    const object = json as Record<string, unknown> | null;
    if (!/^[A-Za-z]+Exception:/.test(type)) return `a Bedrock error without x-amzn-errortype: ${describe}`;
    if (!object || Object.keys(object).join() !== 'message' || typeof object['message'] !== 'string')
      return `a Bedrock error body that is not {message}: ${describe}`;
    return undefined;
  }
  if (dialect === 'vertex') {
    const rpc = (json as { error?: { code?: unknown; message?: unknown; status?: unknown } } | null)?.error;
    const google =
      typeof rpc?.code === 'number' &&
      rpc.code === answer.status &&
      typeof rpc.message === 'string' &&
      typeof rpc.status === 'string';
    return google || anthropic(json) ? undefined : `a Vertex error in neither of its shapes: ${describe}`;
  }
  return anthropic(json) ? undefined : `an Anthropic error not in its shape: ${describe}`;
}

// ---------------------------------------------------------------- runner

export interface FuzzResult {
  fuzz: FuzzCase;
  answer: RawAnswer;
  problems: string[];
}

/** Sends `count` cases from `first` on, at most `concurrency` at once, each with its own deadline. */
export async function runCases(
  cases: readonly FuzzCase[],
  send: (fuzz: FuzzCase) => Promise<RawAnswer>,
  check: (fuzz: FuzzCase, answer: RawAnswer) => string[],
  concurrency: number,
): Promise<FuzzResult[]> {
  const results: FuzzResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const at = next++;
      const fuzz = cases[at];
      if (!fuzz) return;
      const answer = await send(fuzz);
      results[at] = { fuzz, answer, problems: check(fuzz, answer) };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** A summary line per status, e.g. `200: 812, 400: 900, none: 40`. */
export function statusHistogram(results: readonly FuzzResult[]): Record<string, number> {
  const histogram: Record<string, number> = {};
  for (const { answer } of results) {
    const key = answer.timedOut ? 'hang' : answer.status === 0 ? 'closed' : String(answer.status);
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(histogram).sort(([a], [b]) => a.localeCompare(b)));
}
