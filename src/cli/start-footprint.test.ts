/**
 * What a plain `serve` (admin key, one platform, SQLite) loads at start. Sign-in
 * (jose, openid-client), OTLP (protobufjs, gRPC, the OpenTelemetry SDK) and the
 * Postgres and Redis drivers load when configured or first used: each costs
 * resident memory in every gateway that never uses it (issue 16). A static
 * import that pulls one of them back in fails here. Needs the built dist/
 * (npm test builds it first).
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../dist/cli/bin.js');

/** A module hook that records every resolved module, and prints their packages and exits on SIGTERM. */
const TRACE_HOOK = `
import { writeSync } from 'node:fs';
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); loaded.add(found.url); return found; } });
process.on('SIGTERM', () => {
  const packages = new Set();
  for (const url of loaded) {
    const at = url.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [first, second] = url.slice(at + 13).split('/');
    packages.add(first.startsWith('@') ? first + '/' + second : first);
  }
  // Synchronous: an exiting process drops what is still queued on a pipe.
  writeSync(2, 'PACKAGES ' + JSON.stringify([...packages].sort()) + '\\n');
  process.exit(0);
});
`;

const LOADED_ONLY_WHEN_USED = [
  'jose',
  'openid-client',
  'protobufjs',
  '@grpc/grpc-js',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/exporter-trace-otlp-grpc',
  'postgres',
  'ioredis',
  'google-auth-library',
  '@aws-sdk/credential-providers',
];

const folder = mkdtempSync(join(tmpdir(), 'cgw-footprint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Starts `serve`, stops it with SIGTERM once it listens, and returns the packages it loaded. */
function packagesLoadedByServe(): Promise<string[]> {
  const hook = join(folder, 'trace-hook.mjs');
  const config = join(folder, 'claude-gateway.yaml');
  writeFileSync(hook, TRACE_HOOK);
  writeFileSync(
    config,
    [
      `server: { host: 127.0.0.1, port: 0, adminKey: ${'a'.repeat(40)} }`,
      `store: { url: "sqlite://${join(folder, 'gateway.db')}" }`,
      'platforms: { anthropic: { apiKey: sk-ant-test } }',
      '',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, BIN, 'serve', '--config', config], {
      cwd: folder,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_EXPORTER: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('listening on')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(deadline);
      const line = stderr.split('\n').find((text) => text.startsWith('PACKAGES '));
      if (!line) return reject(new Error(`serve printed no module list:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(line.slice('PACKAGES '.length)) as string[]);
    });
  });
}

describe('claude-gateway serve at start', () => {
  it('loads neither sign-in, OTLP, Postgres, Redis nor cloud SDK packages it is not configured for', async () => {
    const packages = await packagesLoadedByServe();
    // The trace works: the packages every gateway needs are there.
    expect(packages).toEqual(expect.arrayContaining(['undici', 'better-sqlite3', 'zod']));
    expect(packages.filter((name) => LOADED_ONLY_WHEN_USED.includes(name))).toEqual([]);
  }, 90_000);
});
