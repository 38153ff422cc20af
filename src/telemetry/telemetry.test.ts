/**
 * Telemetry off costs nothing: the SDK module is imported only when an
 * endpoint is configured, and no other module imports OpenTelemetry.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const logger = { info: () => {}, warn: () => {} };

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

afterEach(() => {
  vi.doUnmock('./otel.js');
  vi.resetModules();
});

describe('startTelemetry', () => {
  it('does not import the SDK module without an endpoint, and does with one', async () => {
    const loaded = vi.fn();
    vi.doMock('./otel.js', () => {
      loaded();
      return {
        OtelTelemetry: class {
          static async start() {
            return new this();
          }
          startRequest() {
            throw new Error('unused');
          }
          async shutdown() {}
        },
      };
    });
    const { startTelemetry } = await import('./telemetry.js');
    expect(await startTelemetry({}, {}, logger)).toBeUndefined();
    expect(await startTelemetry(undefined, { OTEL_SERVICE_NAME: 'x' }, logger)).toBeUndefined();
    expect(loaded).not.toHaveBeenCalled();
    const telemetry = await startTelemetry(
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
      logger,
    );
    expect(telemetry).toBeDefined();
    expect(loaded).toHaveBeenCalledTimes(1);
  });

  it('is the only door to OpenTelemetry: no other module imports it statically', () => {
    const importers = sourceFiles(SRC)
      .filter((path) => /^\s*import[^;]*from '@opentelemetry\//m.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path));
    // otlp-grpc.ts holds the gRPC exporters, imported by otel.ts only when a signal is exported over gRPC.
    expect(importers.sort()).toEqual(['telemetry/otel.ts', 'telemetry/otlp-grpc.ts']);
  });

  it('loads gRPC only when chosen: no module imports @grpc/grpc-js or ./otlp-grpc.js statically', () => {
    for (const path of sourceFiles(SRC)) {
      const text = readFileSync(path, 'utf8');
      const where = relative(SRC, path);
      if (where !== 'telemetry/otlp-grpc.ts' && !where.startsWith('test-support/'))
        expect(/^\s*import\s+(?!type\b)[^;(]*from '@grpc\//m.test(text), where).toBe(false);
      // A type-only import is erased at build time.
      expect(/^\s*import\s+(?!type\b)[^;(]*from '[./]*(telemetry\/)?otlp-grpc\.js'/m.test(text), where).toBe(
        false,
      );
    }
  });
});
