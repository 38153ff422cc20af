import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchedLogDestination } from './log-destination.js';

const folders: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function logFile(): { path: string; fd: number } {
  const folder = mkdtempSync(join(tmpdir(), 'log-destination-'));
  folders.push(folder);
  const path = join(folder, 'log');
  return { path, fd: openSync(path, 'a') };
}

const messages = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).msg);

describe('BatchedLogDestination', () => {
  it('writes the lines together once the first has waited its delay, in order', () => {
    vi.useFakeTimers();
    const { path, fd } = logFile();
    const logger = pino({ base: null, timestamp: false }, new BatchedLogDestination(fd, { maxDelayMs: 50 }));
    logger.info('first');
    logger.info('second');
    vi.advanceTimersByTime(49);
    expect(readFileSync(path, 'utf8')).toBe('');
    vi.advanceTimersByTime(1);
    expect(messages(path)).toEqual(['first', 'second']);
    closeSync(fd);
  });

  it('writes at the end of the turn once enough bytes wait, and at once on flush', async () => {
    const { path, fd } = logFile();
    const logger = pino(
      { base: null, timestamp: false },
      new BatchedLogDestination(fd, { maxDelayMs: 60_000, maxBytes: 100 }),
    );
    logger.info('x'.repeat(120));
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages(path)).toEqual(['x'.repeat(120)]);
    logger.info('third');
    logger.flush();
    expect(messages(path)).toEqual(['x'.repeat(120), 'third']);
    closeSync(fd);
  });

  it('costs the lines, not the process, when the file cannot be written', () => {
    const { fd } = logFile();
    closeSync(fd);
    const destination = new BatchedLogDestination(fd);
    destination.write('{"msg":"lost"}\n');
    expect(() => destination.flushSync()).not.toThrow();
  });
});
