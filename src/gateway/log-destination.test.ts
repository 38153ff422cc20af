import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TurnBatchedDestination } from './log-destination.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function logFile(): { path: string; fd: number } {
  const folder = mkdtempSync(join(tmpdir(), 'log-destination-'));
  folders.push(folder);
  const path = join(folder, 'log');
  return { path, fd: openSync(path, 'a') };
}

describe('TurnBatchedDestination', () => {
  it('writes the lines of one turn together when the turn ends, in order', async () => {
    const { path, fd } = logFile();
    const logger = pino({ base: null, timestamp: false }, new TurnBatchedDestination(fd));
    logger.info({ n: 1 }, 'first');
    logger.info({ n: 2 }, 'second');
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toEqual(['first', 'second']);
    logger.info('third');
    logger.flush();
    expect(readFileSync(path, 'utf8')).toContain('"msg":"third"');
    closeSync(fd);
  });

  it('costs the lines, not the process, when the file cannot be written', async () => {
    const { fd } = logFile();
    closeSync(fd);
    const destination = new TurnBatchedDestination(fd);
    destination.write('{"msg":"lost"}\n');
    expect(() => destination.flushSync()).not.toThrow();
  });
});
