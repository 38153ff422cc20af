/**
 * Test-only: private Redis and Postgres servers on free loopback ports, as
 * child processes a test can stop and start again (the shared instances on
 * 6379 and 5432 are never stopped).
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves once something accepts connections on the port; rejects after `withinMs` (a hang detector). */
export async function waitForPort(port: number, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` holds; throws after `withinMs` (only to detect a hang). */
export async function eventually(
  check: () => boolean,
  withinMs = 20_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A server a test starts, stops (as a crash or an operator would) and starts again on the same port. */
export interface ChildServer {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** `redis-server` on a free port, without persistence. */
export async function startRedisServer(): Promise<ChildServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: ChildServer = {
    port,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        { stdio: 'ignore', env: realTimeEnvironment() },
      );
      await waitForPort(port);
    },
    async stop() {
      await stopChild(child, 'SIGKILL');
      child = undefined;
    },
    async dispose() {
      await server.stop();
    },
  };
  await server.start();
  return server;
}

/** The folder of the PostgreSQL binaries (initdb, postgres), or undefined when none is installed. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'postgres')) && existsSync(join(bin, 'initdb'))) return bin;
  }
  return undefined;
}

/** The account a private Postgres runs as: the current one, or `postgres` when this is root (Postgres refuses root). */
function postgresAccount(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root needs a postgres account');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A private PostgreSQL cluster (initdb, trust authentication, no fsync) on a
 * free port, database `postgres`, user `postgres`; stopped with a fast
 * shutdown (SIGINT), as an operator's restart or a failover would.
 */
export async function startPostgresServer(): Promise<ChildServer & { url: string }> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries are not installed (/usr/lib/postgresql/*/bin)');
  const account = postgresAccount();
  const folder = mkdtempSync(join(tmpdir(), 'cgw-postgres-'));
  const data = join(folder, 'data');
  if (account.uid !== undefined) spawnSync('chown', [`${account.uid}:${account.gid}`, folder]);
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], {
    env: realTimeEnvironment(),
    ...account,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      child = spawn(
        join(bin, 'postgres'),
        ['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
        { ...account, stdio: 'ignore', env: realTimeEnvironment() },
      );
      await waitForPort(port);
      // The port opens before the server takes queries ("the database system is starting up").
      const isReady = join(bin, 'pg_isready');
      await eventually(
        () => spawnSync(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']).status === 0,
        20_000,
        'Postgres to accept connections',
      );
    },
    async stop() {
      await stopChild(child, 'SIGINT');
      child = undefined;
    },
    async dispose() {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * The environment for a private server, without libfaketime: the suite also
 * runs with the clock moved years ahead (`npm run test:future`), and a
 * database server under a faked clock does not come up. Only the code under
 * test needs the moved clock.
 */
function realTimeEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME') || name === 'DONT_FAKE_MONOTONIC')
      delete env[name];
  }
  return env;
}
