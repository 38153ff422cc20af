/**
 * The real Claude Code binary (the newest pinned build) exporting its own
 * OpenTelemetry to the gateway, as the README tells users to set it up:
 * CLAUDE_CODE_ENABLE_TELEMETRY=1, OTEL_EXPORTER_OTLP_ENDPOINT at the gateway,
 * the gateway key in OTEL_EXPORTER_OTLP_HEADERS. The gateway forwards each
 * export (`telemetry.forwardClaudeCode`) to the suite's receiver, stamped
 * with the key; both OTLP/HTTP encodings Claude Code offers are run.
 */

process.env['CLAUDE_CODE_TEST_BUILD'] = 'newest';
const { probeClaudeCode, runClaudeCode, startProxyTrap } = await import('./claude-code-runner.js');

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../src/test-support/gateway.js';
import { type OtlpReceiver, startOtlpReceiver } from '../../src/test-support/otlp-receiver.js';

const probe = probeClaudeCode();
const skipReason = probe.ok ? undefined : probe.reason;
const runsHere = it.skipIf(skipReason !== undefined);

let receiver: OtlpReceiver;
let setup: TestGateway;
let trap: Awaited<ReturnType<typeof startProxyTrap>>;

beforeAll(async () => {
  if (skipReason) return;
  receiver = await startOtlpReceiver();
  setup = await startTestGateway({
    keys: [{ name: 'dev-laptop' }],
    config: {
      telemetry: { otlpEndpoint: receiver.url, forwardClaudeCode: true, metricsIntervalMs: 600_000 },
    },
  });
  trap = await startProxyTrap();
});

afterAll(async () => {
  await setup?.close();
  await receiver?.close();
  await trap?.close();
});

describe("Claude Code's own telemetry through the gateway", () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    runsHere(`is forwarded stamped with the caller's key (${protocol})`, async () => {
      const key = setup.keys[0]?.secret ?? '';
      const before = receiver.posts.length;
      const run = await runClaudeCode({
        prompt: 'Say hi',
        proxyUrl: trap.url,
        timeoutMs: 60_000,
        env: {
          ANTHROPIC_BASE_URL: setup.url,
          ANTHROPIC_API_KEY: key,
          CLAUDE_CODE_ENABLE_TELEMETRY: '1',
          OTEL_METRICS_EXPORTER: 'otlp',
          OTEL_LOGS_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_ENDPOINT: setup.url,
          OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${key}`,
          OTEL_METRIC_EXPORT_INTERVAL: '1000',
          OTEL_LOGS_EXPORT_INTERVAL: '500',
        },
      });
      expect(run.exitCode, run.stderr).toBe(0);
      // Claude Code flushes its exporters as it exits; the gateway forwarded each before answering it.
      const posts = receiver.posts
        .slice(before)
        .filter((post) => JSON.stringify(post.body).includes('claude-code'));
      const encoding = protocol === 'http/protobuf' ? 'protobuf' : 'json';
      expect(new Set(posts.map((post) => post.path))).toEqual(new Set(['/v1/logs', '/v1/metrics']));
      for (const post of posts) {
        expect(post.encoding).toBe(encoding);
        const text = JSON.stringify(post.body);
        expect(text).toContain('"claude_gateway.key_name"');
        expect(text).toContain('"dev-laptop"');
      }
      const metrics = JSON.stringify(
        posts.filter((post) => post.path === '/v1/metrics').map((post) => post.body),
      );
      expect(metrics).toMatch(/"claude_code\.[a-z_.]+"/);
      expect(receiver.logResources().at(-1)).toMatchObject({
        'service.name': 'claude-code',
        'claude_gateway.key_name': 'dev-laptop',
        'claude_gateway.key_id': setup.keys[0]?.record.id,
      });
    });
  }
});
