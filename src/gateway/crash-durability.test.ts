/**
 * Every request the client saw finish is in the activity log, also when the
 * gateway process is killed (SIGKILL: no graceful stop, no flush) right after
 * the last answer arrived: each row is journaled before the answer's last
 * byte goes out, and the journal is replayed at the next start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openStore } from '../store/open-store.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const REQUESTS = 300;

let folder = '';
const children: ChildProcess[] = [];

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'claude-gateway-crash-'));
});
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

/** `claude-gateway serve --emulate` in its own process; resolves with its URL once it listens. */
async function serve(config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--emulate', '--config', config, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /claude-gateway listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${output}`)));
  });
  return { child, url };
}

/** One request of each kind in turn: a whole answer, a stream, a refused body, a token count. */
async function send(url: string, index: number): Promise<string> {
  const kind = index === REQUESTS - 1 ? 1 : index % 4;
  const body = {
    model: 'sonnet',
    max_tokens: 64,
    messages: [{ role: 'user', content: `request ${index}` }],
    ...(kind === 1 ? { stream: true } : {}),
  };
  const response = await fetch(`${url}/v1/messages${kind === 3 ? '/count_tokens' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: kind === 2 ? '{"model": "sonnet", ' : JSON.stringify(body),
  });
  // The whole answer, to its last byte.
  const text = await response.text();
  expect(response.status, text).toBe(kind === 2 ? 400 : 200);
  if (kind === 1) expect(text).toContain('message_stop');
  const id = response.headers.get('x-claude-gateway-request-id');
  if (!id) throw new Error('no request id');
  return id;
}

describe('a gateway killed right after its last answer', () => {
  it(`has all ${REQUESTS} requests in the log after a restart`, async () => {
    expect(existsSync(cli), `${cli} is missing: \`npm test\` builds it first (npm run build)`).toBe(true);
    const database = join(folder, 'gateway.db');
    const config = join(folder, 'claude-gateway.yaml');
    writeFileSync(config, stringify({ store: { url: `sqlite://${database}` } }));

    const first = await serve(config);
    const ids: string[] = [];
    for (let index = 0; index < REQUESTS; index += 1) ids.push(await send(first.url, index));
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;

    // The next start replays the journal before it listens.
    const second = await serve(config);
    const store = await openStore(`sqlite://${database}?writer=inline`);
    try {
      const rows = await store.queryRequests({ limit: REQUESTS * 2 });
      expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
      const last = rows.find((row) => row.id === ids.at(-1));
      expect(last).toMatchObject({ status: 200, stream: true, stopReason: 'end_turn' });
      expect(rows.filter((row) => row.status === 400)).toHaveLength(REQUESTS / 4);
      expect(readdirSync(folder).filter((name) => name.endsWith('.journal'))).toEqual([]);
    } finally {
      await store.close();
      const stopped = once(second.child, 'exit');
      second.child.kill('SIGTERM');
      await stopped;
    }
  });
});
