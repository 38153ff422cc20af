/**
 * Starts each server of the bench in its own Node process (so the load
 * generator never shares an event loop with what it measures), waits for it
 * to listen, reads its RSS, asks it to collect garbage, and stops every one
 * of them at the end, also when the bench fails or is interrupted.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildMessage, ParentMessage } from './servers/child-ipc.js';

export interface LaunchOptions {
  /** A short name for tables and log files. */
  name: string;
  /** The script the child runs. */
  script: string;
  args?: string[];
  /** Node flags besides `--expose-gc` (`--import`, `--cpu-prof`…). */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/** One running server process. */
export class ServerProcess {
  private nextGcId = 1;
  private readonly gcWaiters = new Map<number, (heapUsedBytes: number | undefined) => void>();
  private readonly snapshotWaiters = new Map<number, (path: string | undefined) => void>();
  /** `process.memoryUsage()` as the server reported it after its last GC. */
  lastMemory: NodeJS.MemoryUsage | undefined;
  /** The V8 heap spaces as the server reported them after its last GC. */
  lastSpaces: Extract<ChildMessage, { type: 'gc-done' }>['spaces'] | undefined;
  exited = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    readonly info: Record<string, unknown>,
    readonly logFile: string,
  ) {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'gc-done') {
        this.lastMemory = message.memory;
        this.lastSpaces = message.spaces;
        this.gcWaiters.get(message.id)?.(message.heapUsedBytes);
        this.gcWaiters.delete(message.id);
      } else if (message.type === 'snapshot-done') {
        this.snapshotWaiters.get(message.id)?.(message.path);
        this.snapshotWaiters.delete(message.id);
      }
    });
    child.once('exit', () => {
      this.exited = true;
      for (const resolve of this.gcWaiters.values()) resolve(undefined);
      this.gcWaiters.clear();
      for (const resolve of this.snapshotWaiters.values()) resolve(undefined);
      this.snapshotWaiters.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resident set size in bytes, from /proc/<pid>/status (VmRSS). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!match) throw new Error(`${this.name}: no VmRSS in /proc/${this.pid}/status`);
    return Number(match[1]) * 1024;
  }

  /**
   * Asks the server to run a full GC (it runs with --expose-gc); resolves
   * with its V8 heap in use afterwards, or undefined after 5 s without an answer.
   */
  collectGarbage(): Promise<number | undefined> {
    if (this.exited) return Promise.resolve(undefined);
    const id = this.nextGcId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.gcWaiters.delete(id);
        resolve(undefined);
      }, 5_000);
      this.gcWaiters.set(id, (heapUsedBytes) => {
        clearTimeout(timer);
        resolve(heapUsedBytes);
      });
      this.send({ type: 'gc', id });
    });
  }

  /** Asks the server to write a V8 heap snapshot to `path`; resolves with the path, or undefined if it exited. */
  heapSnapshot(path: string): Promise<string | undefined> {
    if (this.exited) return Promise.resolve(undefined);
    const id = this.nextGcId++;
    return new Promise((resolve) => {
      this.snapshotWaiters.set(id, resolve);
      this.send({ type: 'heap-snapshot', id, path });
    });
  }

  /** Asks the server to stop (it exits normally, writing a CPU profile if asked); kills it after `graceMs`. */
  stop(graceMs = 3_000): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
      }, graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ type: 'stop' });
    });
  }

  /** The last lines the server wrote (for error messages). */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private send(message: ParentMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}

/** Every server the bench started; `stopAll` ends them, and they are killed if the bench exits first. */
export class ProcessGroup {
  readonly servers: ServerProcess[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly killAll = () => {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  };

  constructor(readonly logFolder: string) {
    process.once('exit', this.killAll);
  }

  /** Starts one server and waits until it reports the port it listens on. */
  launch(options: LaunchOptions): Promise<ServerProcess> {
    const logFile = join(this.logFolder, `${options.name}.log`);
    const log = openSync(logFile, 'a');
    const child = fork(options.script, options.args ?? [], {
      execArgv: ['--expose-gc', ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const tail = () => {
        try {
          return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
        } catch {
          return '';
        }
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${options.name} did not start within ${timeoutMs} ms\n${tail()}`));
      }, timeoutMs);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited (${code}) before it was ready\n${tail()}`));
      };
      child.once('exit', onExit);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'failed') {
          clearTimeout(timer);
          child.off('exit', onExit);
          reject(new Error(`${options.name} failed to start: ${message.message}`));
        } else if (message.type === 'ready') {
          clearTimeout(timer);
          child.off('exit', onExit);
          const server = new ServerProcess(options.name, child, message.port, message.info ?? {}, logFile);
          this.servers.push(server);
          resolve(server);
        }
      });
    });
  }

  /** Stops every server (each gets `graceMs` to exit by itself). */
  async stopAll(graceMs?: number): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop(graceMs)));
    this.killAll();
    process.off('exit', this.killAll);
  }
}
