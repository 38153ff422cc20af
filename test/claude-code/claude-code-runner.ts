/**
 * Test-only: runs the real Claude Code binary (`@anthropic-ai/claude-code`,
 * whose native build comes in its platform package) in print mode, isolated:
 * a fresh HOME and XDG folders, a fresh working directory, no telemetry or
 * other nonessential traffic, and every non-loopback connection sent to a
 * local trap that refuses it and remembers where it was going.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The Claude Code builds installed as devDependencies: the newest under its own
 * name, and 2.1.197 (whose default models the tests expect) under an npm alias.
 * Both put `claude` in node_modules/.bin, so each is found in its own package.
 */
export const CLAUDE_CODE_PACKAGES = {
  newest: '@anthropic-ai/claude-code',
  '2.1.197': 'claude-code-2-1-197',
} as const;
export type ClaudeCodeBuild = keyof typeof CLAUDE_CODE_PACKAGES;

/**
 * The `claude` executable of an installed build: its package's `bin` entry
 * (the native binary itself since 2.1, placed there by the package's
 * postinstall from its platform package).
 */
export function claudeCodeBinary(build: ClaudeCodeBuild): string {
  const folder = join(REPO_ROOT, 'node_modules', ...CLAUDE_CODE_PACKAGES[build].split('/'));
  let bin = 'bin/claude.exe';
  try {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      bin?: string | Record<string, string>;
    };
    bin = (typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['claude']) ?? bin;
  } catch {
    // Not installed: the probe reports the missing path.
  }
  return join(folder, bin);
}

/** The build `CLAUDE_CODE_TEST_BUILD` names: `newest` or `2.1.197` (the default). */
export function selectedBuild(): ClaudeCodeBuild {
  const name = process.env['CLAUDE_CODE_TEST_BUILD'] || '2.1.197';
  if (!Object.hasOwn(CLAUDE_CODE_PACKAGES, name)) {
    throw new Error(
      `CLAUDE_CODE_TEST_BUILD=${name}: expected one of ${Object.keys(CLAUDE_CODE_PACKAGES).join(', ')}`,
    );
  }
  return name as ClaudeCodeBuild;
}

/**
 * The binary the tests run: the build `CLAUDE_CODE_TEST_BUILD` names (`newest`
 * or `2.1.197`, the default), or any other binary named by `CLAUDE_CODE_TEST_BINARY`.
 */
export const CLAUDE_BINARY = process.env['CLAUDE_CODE_TEST_BINARY'] || claudeCodeBinary(selectedBuild());

/** Whether Claude Code can run on this machine, found by running `claude --version`. */
export type ClaudeCodeProbe = { ok: true; version: string } | { ok: false; reason: string };

/**
 * Runs `claude --version` (synchronously: call it before any in-process server
 * starts) and says why Claude Code cannot run here when it cannot: missing
 * package, a binary for another architecture, a crash.
 */
export function probeClaudeCode(binary: string = CLAUDE_BINARY): ClaudeCodeProbe {
  if (!existsSync(binary)) {
    return {
      ok: false,
      reason:
        `${binary} is missing (is @anthropic-ai/claude-code installed, ` +
        `with its native package for ${process.platform}-${process.arch}?)`,
    };
  }
  const home = mkdtempSync(join(tmpdir(), 'claude-code-probe-'));
  try {
    const probe = spawnSync(binary, ['--version'], {
      env: isolatedEnvironment(home),
      cwd: home,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.error) {
      const code = (probe.error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOEXEC' || code === 'EACCES'
          ? `the binary does not run on ${process.platform}-${process.arch}`
          : probe.error.message;
      return { ok: false, reason: `\`claude --version\` failed: ${why}` };
    }
    const output = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim();
    const version = /(\d+\.\d+\.\d+) \(Claude Code\)/.exec(probe.stdout ?? '')?.[1];
    if (probe.status !== 0 || !version) {
      return {
        ok: false,
        reason: `\`claude --version\` exited with ${probe.status ?? probe.signal}: ${output.slice(0, 300) || '(no output)'}`,
      };
    }
    return { ok: true, version };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The environment Claude Code gets: nothing from ours but PATH, everything in `home`. */
function isolatedEnvironment(home: string, proxyUrl?: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: 'claude-code-test',
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    TMPDIR: join(home, 'tmp'),
    LANG: 'C.UTF-8',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  if (existsSync('/bin/bash')) env['SHELL'] = '/bin/bash';
  if (proxyUrl) {
    // Loopback goes direct; anything else goes to the trap, which refuses it.
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) env[name] = proxyUrl;
    for (const name of ['NO_PROXY', 'no_proxy']) env[name] = '127.0.0.1,localhost,::1';
  }
  return env;
}

/** What `claude -p … --output-format json` prints: the fields the tests read. */
export interface ClaudeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  api_error_status?: number | null;
  num_turns: number;
  result: string;
  stop_reason?: string | null;
  session_id: string;
  total_cost_usd: number;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
  modelUsage: Record<string, { inputTokens: number; outputTokens: number; costUSD: number }>;
  permission_denials: unknown[];
}

export interface ClaudeRun {
  /** The parsed JSON result; undefined when stdout was not JSON (see `stdout`, `stderr`). */
  result: ClaudeResult | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** When the run started (ms since the epoch). */
  startedAt: number;
  durationMs: number;
}

export interface RunClaudeOptions {
  prompt: string;
  /** The mode's variables (ANTHROPIC_BASE_URL, CLAUDE_CODE_USE_BEDROCK, …), added to the isolated environment. */
  env: Record<string, string>;
  /** Tools allowed without a permission prompt (`--allowedTools`). */
  allowedTools?: string[];
  /** Where non-loopback traffic goes (a `ProxyTrap`'s url). */
  proxyUrl?: string;
  timeoutMs?: number;
  /** The executable to run (default `CLAUDE_BINARY`; see `claudeCodeBinary`). */
  binary?: string;
}

/**
 * Runs `claude -p PROMPT --output-format json` in a fresh temporary HOME and
 * working directory, asynchronously (the gateway it talks to may run in this
 * process), and kills it (by its pid) after the timeout.
 */
export async function runClaudeCode(options: RunClaudeOptions): Promise<ClaudeRun> {
  const root = mkdtempSync(join(tmpdir(), 'claude-code-run-'));
  const home = join(root, 'home');
  const work = join(root, 'work');
  for (const folder of [home, join(home, 'tmp'), work]) mkdirSync(folder, { recursive: true });
  const args = ['-p', options.prompt, '--output-format', 'json'];
  if (options.allowedTools?.length) args.push('--allowedTools', options.allowedTools.join(','));
  const startedAt = Date.now();
  const child: ChildProcess = spawn(options.binary ?? CLAUDE_BINARY, args, {
    cwd: work,
    env: { ...isolatedEnvironment(home, options.proxyUrl), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.once('error', fail);
      child.once('close', (code, killedBy) => done([code, killedBy]));
    });
    let result: ClaudeResult | undefined;
    try {
      result = JSON.parse(stdout.trim()) as ClaudeResult;
    } catch {
      result = undefined;
    }
    return {
      result,
      exitCode,
      signal,
      timedOut,
      stdout,
      stderr,
      startedAt,
      durationMs: Date.now() - startedAt,
    };
  } finally {
    clearTimeout(timer);
    rmSync(root, { recursive: true, force: true });
  }
}

/** One request as Claude Code sent it to the gateway. */
export interface RecordedRequest {
  time: number;
  method: string;
  /** The raw request target (path and query, colons as sent). */
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
  /** The gateway's status, once it answered. */
  status?: number;
}

/**
 * A transparent HTTP/1.1 recorder in front of the gateway: streams requests
 * and responses through unchanged and remembers each request's method, raw
 * path and headers (what the activity log does not keep).
 */
export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const record: RecordedRequest = {
      time: Date.now(),
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      bodyBytes: 0,
    };
    requests.push(record);
    request.on('data', (chunk: Buffer) => {
      record.bodyBytes += chunk.length;
    });
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: record.method,
        path: record.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        record.status = answer.statusCode;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`recording proxy: ${error.message}`);
    });
    response.on('close', () => {
      if (!response.writableFinished) forward.destroy();
    });
    request.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * An HTTP proxy that refuses everything: Claude Code's non-loopback traffic
 * (telemetry, updates, anything) ends here, and `attempts` says where it was
 * going (`CONNECT host:443 …` or `GET http://…`).
 */
export interface ProxyTrap {
  url: string;
  attempts: string[];
  close(): Promise<void>;
}

export async function startProxyTrap(): Promise<ProxyTrap> {
  const attempts: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      attempts.push(chunk.toString('latin1').split('\r\n', 1)[0] ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
