import { describe, expect, it } from 'vitest';
import { spliceJsonObject, topLevelMembers } from './json-splice.js';

type Edit = (body: Record<string, unknown>) => Record<string, unknown>;

/** Splices `text` with `edit` and checks the result against JSON.stringify of the same edit. */
function check(text: string | Buffer, edit: Edit): Buffer | undefined {
  const raw = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const original = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const edited = edit(original);
  const spliced = spliceJsonObject(raw, original, edited);
  if (spliced) {
    const expected = JSON.stringify(edited);
    expect(JSON.parse(spliced.toString('utf8'))).toStrictEqual(JSON.parse(expected));
    // Same keys in the same order at every level.
    expect(JSON.stringify(JSON.parse(spliced.toString('utf8')))).toBe(expected);
  }
  return spliced;
}

/** The Bedrock edit: model, stream and the version fields dropped, the version and betas added last. */
const bedrockEdit: Edit = (body) => {
  const copy: Record<string, unknown> = { ...body };
  delete copy['model'];
  delete copy['stream'];
  delete copy['anthropic_version'];
  delete copy['anthropic_beta'];
  copy['anthropic_version'] = 'bedrock-2023-05-31';
  copy['anthropic_beta'] = ['context-1m-2025-08-07'];
  return copy;
};

const bodies: string[] = [
  '{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"hi"}]}',
  '{}',
  ' \n\t{ } \r\n',
  '{"model":"m"}',
  '{ "model" : "m" , "messages" : [ { "role" : "user" , "content" : [ {"type":"text","text":"a\\"b\\\\"} ] } ] ,\n "max_tokens" : 5 }',
  '{"mo\\u0064el":"m","sys\\ntem":"x","m\\"q":1,"\\\\":[],"messages":[]}',
  '{"messages":[{"role":"user","content":"caf\\u00e9 \\ud83d\\ude00 😀 日本語 \\ud800 \\/ \\b\\f\\n\\r\\t"}],"model":"m"}',
  '{"model":"m","anthropic_version":"2023-06-01","anthropic_beta":["a","b"],"max_tokens":3}',
  '{"anthropic_version":"bedrock-2023-05-31","messages":[],"anthropic_beta":[]}',
  '{"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":{"type":"string","enum":["x","}]"]}}},"eager_input_streaming":true}],"model":"m"}',
  '{"temperature":0.5,"top_p":1.0,"max_tokens":100,"top_k":-1,"metadata":{"n":[1,2.25,-3,0,0.0]},"stop_sequences":["}","]","\\"{"]}',
  '{"a":true,"b":false,"c":null,"d":"","e":{},"f":[],"g":[[],[{}]],"model":"x"}',
  '{"1":"one","model":"m","0":"zero","b":2,"a":1}',
  '{"__proto__":{"x":1},"model":"m","constructor":"c","toJSON":"t"}',
  '{"thinking":{"type":"enabled","budget_tokens":2000},"future_field":{"nested":[1,2,3]},"model":"m","stream":false}',
  '{"messages":[{"role":"user","content":"\\\\"}],"model":"\\\\\\""}',
];

describe('spliceJsonObject', () => {
  it.each(bodies)('gives what JSON.stringify gives, for the Bedrock edit: %s', (text) => {
    expect(check(text, bedrockEdit)).toBeDefined();
  });

  it.each(bodies)('gives what JSON.stringify gives, unedited: %s', (text) => {
    expect(check(text, (body) => ({ ...body }))).toBeDefined();
  });

  it('serializes a value that was replaced, and copies the rest as sent', () => {
    const text = '{"tools":[{"name":"t","eager_input_streaming":true}],"messages":[ 1 , 2 ],"model":"m"}';
    const spliced = check(text, (body) => {
      const { model: _model, ...rest } = body;
      return { ...rest, tools: [{ name: 't' }] };
    });
    expect(spliced?.toString()).toBe('{"tools":[{"name":"t"}],"messages":[ 1 , 2 ]}');
  });

  it('writes a key set to an equal value at its new place, and leaves out undefined values', () => {
    const text = '{"anthropic_version":"v","messages":[],"x":1}';
    const spliced = check(text, (body) => {
      const copy: Record<string, unknown> = { ...body, x: undefined };
      delete copy['anthropic_version'];
      copy['anthropic_version'] = 'v';
      return copy;
    });
    expect(spliced?.toString()).toBe('{"messages":[],"anthropic_version":"v"}');
  });

  it('takes the last of a key given twice, as JSON.parse does', () => {
    expect(check('{"a":1,"messages":[],"a":2}', (body) => ({ ...body }))?.toString()).toBe(
      '{"a":2,"messages":[]}',
    );
  });

  it('keeps a large body byte for byte, apart from the edited keys', () => {
    const messages = Array.from({ length: 200 }, (_, index) => ({
      role: index % 2 ? 'assistant' : 'user',
      content: [
        { type: 'text', text: `turn ${index} "quoted" \\ ${'é'.repeat(index % 7)} ${'x'.repeat(300)}` },
      ],
    }));
    const text = JSON.stringify({ model: 'm', max_tokens: 4096, stream: true, messages, tools: [] }, null, 2);
    const spliced = check(text, bedrockEdit);
    expect(spliced).toBeDefined();
    expect(spliced?.toString()).toContain(JSON.stringify(messages, null, 2).replaceAll('\n', '\n  '));
  });

  it.each([
    ['-0', '{"a":-0,"model":"m"}'],
    ['-0.0 nested', '{"a":[1,{"b":-0.0}],"model":"m"}'],
    ['an exponent', '{"a":{"b":1e400},"model":"m"}'],
    ['a small exponent', '{"a":[2E-3],"model":"m"}'],
    ['a top-level exponent', '{"a":1e2,"model":"m"}'],
    ['a very long number', `{"a":[${'9'.repeat(400)}],"model":"m"}`],
  ])('declines a number whose serialization differs: %s', (_name, text) => {
    expect(check(text, bedrockEdit)).toBeUndefined();
  });

  it('declines bytes that are not UTF-8 (the parse read them as U+FFFD)', () => {
    const raw = Buffer.concat([Buffer.from('{"messages":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    expect(check(raw, bedrockEdit)).toBeUndefined();
  });

  it('declines what is not one JSON object', () => {
    const original = { a: 1 };
    for (const text of [
      '[1]',
      '{"a":1',
      '{"a":1}{',
      '{"a":1} x',
      '{"a" 1}',
      '{"a":1,}',
      '{a:1}',
      '"a"',
      '',
    ]) {
      expect(spliceJsonObject(Buffer.from(text), original, { ...original })).toBeUndefined();
    }
  });

  it('works on a view into a larger buffer', () => {
    const whole = Buffer.from('xx{"model":"m","messages":[]}yy');
    const raw = whole.subarray(2, whole.length - 2);
    expect(check(raw, bedrockEdit)?.toString()).toBe(
      '{"messages":[],"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["context-1m-2025-08-07"]}',
    );
  });
});

describe('spliceJsonObject on strings of every length', () => {
  it('finds the closing quote around the short-string boundary, with escapes anywhere', () => {
    for (let length = 0; length < 60; length++) {
      for (const special of ['\\"', '\\\\', '\\u0022', 'é']) {
        for (let at = 0; at <= length; at += 3) {
          const text = `${'a'.repeat(at)}${special}${'b'.repeat(length - at)}`;
          const body = `{"model":"m","messages":[{"content":"${text}"}],"system":"${text}","tail":"${text}"}`;
          expect(check(body, bedrockEdit)).toBeDefined();
        }
      }
    }
  });
});

describe('topLevelMembers', () => {
  it('finds each key and its value bytes, whitespace and strings with brackets skipped', () => {
    const text = '{ "a" : [ "]" , { "}" : 1 } ] , "b\\"" : "x\\\\" , "c":null }';
    const members = topLevelMembers(Buffer.from(text));
    if (!members) throw new Error('no members');
    const values = Array.from({ length: members.count }, (_, member) => [
      members.key(member),
      members.valueText(member),
    ]);
    expect(values).toEqual([
      ['a', '[ "]" , { "}" : 1 } ]'],
      ['b"', '"x\\\\"'],
      ['c', 'null'],
    ]);
  });

  it('finds keys as JSON.parse reads them: escaped, non-ASCII, the last of two', () => {
    const members = topLevelMembers(Buffer.from('{"mo\\u0064el":1,"café":2,"a":3,"a":4,"ab":5}'));
    expect(members?.find('model')).toBe(0);
    expect(members?.find('café')).toBe(1);
    expect(members?.find('a')).toBe(3);
    expect(members?.find('ab')).toBe(4);
    expect(members?.find('b')).toBe(-1);
    expect(members?.key(1)).toBe('café');
  });
});

/** Random JSON values with the characters that make splicing hard. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 5 : 8));
  const pieces = [
    'a',
    '"',
    '\\',
    '}',
    ']',
    '{',
    '[',
    ',',
    ':',
    'é',
    '😀',
    '\n',
    '\u2028',
    ' ',
    '\u0000',
    '日',
  ];
  const text = (): string =>
    Array.from({ length: Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join(
      '',
    );
  switch (pick) {
    case 0:
      return text();
    case 1:
      return Math.floor(random() * 2000) - 1000 + (random() < 0.3 ? 0.25 : 0);
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.floor(random() * 100);
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [text(), randomValue(random, depth + 1)]),
      );
  }
}

describe('spliceJsonObject on random bodies', () => {
  it('agrees with JSON.stringify for each edit, compact and indented', () => {
    let seed = 42;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const keys = [
      'model',
      'stream',
      'anthropic_version',
      'anthropic_beta',
      'messages',
      'tools',
      'system',
      'x"y',
      '7',
    ];
    let spliced = 0;
    for (let round = 0; round < 500; round++) {
      const body: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.6) body[key] = randomValue(random, 0);
      const text = JSON.stringify(body, null, round % 3 === 0 ? 2 : undefined);
      const edits: Edit[] = [
        bedrockEdit,
        (copy) => ({ ...copy, tools: [{ name: 'fresh' }] }),
        (copy) => {
          const { messages: _messages, ...rest } = copy;
          return { ...rest, max_tokens: 1 };
        },
      ];
      for (const edit of edits) if (check(text, edit)) spliced++;
    }
    expect(spliced).toBeGreaterThan(1000);
  });
});
