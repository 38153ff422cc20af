import { describe, expect, it } from 'vitest';
import { formatTable, MAX_CELL_WIDTH } from './table.js';

describe('formatTable', () => {
  it('pads columns to the widest cell, two spaces apart, without trailing spaces', () => {
    expect(formatTable(['MODEL', 'CONTEXT'], [['claude-haiku-4-5', '200K']])).toEqual([
      'MODEL             CONTEXT',
      'claude-haiku-4-5  200K',
    ]);
  });

  it('keeps a row on one line and a made-up model name from widening every line', () => {
    const lines = formatTable(
      ['MODEL', 'STATUS'],
      [
        ['x'.repeat(100_000), '431'],
        ['claude\r\nx-evil: 1', '400'],
      ],
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`${'x'.repeat(MAX_CELL_WIDTH - 1)}…  431`);
    expect(lines[2]).toBe(`claude\\r\\nx-evil: 1${' '.repeat(MAX_CELL_WIDTH - 19)}  400`);
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });
});
