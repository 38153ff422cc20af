import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, scanJson } from './json-depth.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, at the limit and one past it', () => {
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonNestsDeeperThan(bytes(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it('measures depth, not the number of containers side by side', () => {
    const wide = `[${Array.from({ length: 5_000 }, () => '{"x":[1]}').join(',')}]`;
    expect(jsonNestsDeeperThan(bytes(wide), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(wide), 2)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say "[[[" \\', c: ['\\"[[['] });
    expect(JSON.parse(text)).toBeTruthy();
    expect(jsonNestsDeeperThan(bytes(text), 1)).toBe(true);
    expect(jsonNestsDeeperThan(bytes(text), 2)).toBe(false);
  });

  it('reads multi-byte text and a body that ends inside a string', () => {
    expect(jsonNestsDeeperThan(bytes('{"é":"日本[[[","k":[["🙂"]]}'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"é":"日本[[[","k":[["🙂"]]}'), 2)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('["unterminated [[['), 1)).toBe(false);
  });

  it('agrees with a walk of the parsed value on generated bodies', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object'
        ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf))
        : 0;
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const build = (level: number): unknown => {
      const pick = random();
      if (level > 12 || pick < 0.25) return random() < 0.5 ? 'a"[{\\' : 3;
      if (pick < 0.6) return Array.from({ length: 1 + Math.floor(random() * 3) }, () => build(level + 1));
      return Object.fromEntries(
        Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => [`k${i}]`, build(level + 1)]),
      );
    };
    for (let round = 0; round < 200; round++) {
      const value = build(0);
      const depth = depthOf(value);
      const text = bytes(JSON.stringify(value));
      expect(jsonNestsDeeperThan(text, depth)).toBe(false);
      if (depth > 0) expect(jsonNestsDeeperThan(text, depth - 1)).toBe(true);
    }
  });
});

describe('scanJson: keys given twice', () => {
  it('finds a key named twice in any object, with where that object is', () => {
    expect(scanJson(bytes('{"model":"a","max_tokens":1,"model":"b"}'))).toEqual({
      kind: 'duplicate-key',
      key: 'model',
      path: '',
    });
    expect(scanJson(bytes('{"messages":[{"role":"user"},{"role":"user","content":[],"role":"x"}]}'))).toEqual(
      {
        kind: 'duplicate-key',
        key: 'role',
        path: 'messages[1]',
      },
    );
    expect(scanJson(bytes('{"a":{"b":[[1,{"c":{"d":1,"d":2}}]]}}'))).toEqual({
      kind: 'duplicate-key',
      key: 'd',
      path: 'a.b[0][1].c',
    });
  });

  it('compares keys decoded: an escaped spelling is the same key', () => {
    expect(scanJson(bytes('{"model":"a","mo\\u0064el":"b"}'))).toMatchObject({ key: 'model' });
    expect(scanJson(bytes('{"é":1,"\\u00e9":2}'))).toMatchObject({ key: 'é' });
    expect(scanJson(bytes('{"a\\"":1,"a\\\\":2}'))).toBeUndefined();
  });

  it('passes the same key in sibling and nested objects, and keys that are only values', () => {
    expect(
      scanJson(bytes('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":"a","d":["a","a"]}')),
    ).toBeUndefined();
    expect(scanJson(bytes('{"x":{"k":1},"k":2,"y":{"k":3}}'))).toBeUndefined();
    expect(scanJson(bytes('{"text":"{\\"a\\":1,\\"a\\":2}"}'))).toBeUndefined();
    expect(scanJson(bytes('{}'))).toBeUndefined();
  });

  it('agrees with a count of the keys of generated bodies', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = ['a', 'b', 'c', 'a"', 'é'];
    // Objects as lists of entries, so a key may come twice; written out by hand.
    const build = (level: number): string => {
      const pick = random();
      if (level > 6 || pick < 0.3) return JSON.stringify(random() < 0.5 ? '{"a":1,"a":2}' : 3);
      if (pick < 0.55)
        return `[${Array.from({ length: 1 + Math.floor(random() * 3) }, () => build(level + 1)).join(',')}]`;
      const entries = Array.from({ length: 1 + Math.floor(random() * 3) }, () => [
        keys[Math.floor(random() * keys.length)] as string,
        build(level + 1),
      ]);
      return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
    };
    const hasDuplicate = (value: unknown, text: string): boolean => text !== JSON.stringify(value);
    let found = 0;
    for (let round = 0; round < 300; round++) {
      const text = `{"top":${build(0)}}`;
      const parsed = JSON.parse(text);
      const duplicate = hasDuplicate(parsed, text);
      if (duplicate) found += 1;
      expect(scanJson(bytes(text))?.kind === 'duplicate-key', text).toBe(duplicate);
    }
    expect(found).toBeGreaterThan(10);
  });
});

describe('scanJson: objects with many keys', () => {
  it('finds a duplicate among thousands of keys, and passes thousands of distinct ones', () => {
    const many = Array.from({ length: 5_000 }, (_, index) => `"k${index}":${index}`);
    expect(scanJson(bytes(`{"tools":[{${many.join(',')}}]}`))).toBeUndefined();
    expect(scanJson(bytes(`{"tools":[{${many.join(',')},"k17":1}]}`))).toEqual({
      kind: 'duplicate-key',
      key: 'k17',
      path: 'tools[0]',
    });
    // A nested object's keys are its own, also under a parent with many keys.
    expect(scanJson(bytes(`{${many.join(',')},"inner":{"k1":1,"k2":2},"k5000":1}`))).toBeUndefined();
    expect(scanJson(bytes(`{${many.join(',')},"inner":{"k1":1,"k2":2},"inner":1}`))).toMatchObject({
      key: 'inner',
      path: '',
    });
  });
});
