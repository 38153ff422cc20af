import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';

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
