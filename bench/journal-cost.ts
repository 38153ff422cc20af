/**
 * What the activity journal (store.journal) costs per request: claude-gateway
 * with full bodies (the default) and the journal off, on (the default: one
 * writeSync per row), and on with fsync, side by side in front of one
 * emulator, sequential non-streaming requests of 0.1 KB and 104 KB, the
 * systems taking turns. Prints medians, the added latency over a direct call,
 * and the ratios to the journal-off gateway.
 *
 * Usage: tsc -p tsconfig.bench.json && node --expose-gc bench/.out/bench/journal-cost.js [requests]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicEndpoint } from './endpoints.js';
import { ProcessGroup } from './launcher.js';
import { measureLatency } from './measure/latency.js';
import type { GatewayChildOptions } from './servers/gateway.js';
import type { System, SystemKey } from './systems.js';

const requests = Number(process.argv[2] ?? 600);
const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-journal-bench-'));
mkdirSync(join(folder, 'logs'));
const group = new ProcessGroup(join(folder, 'logs'));
const here = dirname(fileURLToPath(import.meta.url));
const PLANS: { key: string; label: string; journal: GatewayChildOptions['journal'] }[] = [
  { key: 'journal-off', label: 'gateway, full bodies, journal off', journal: { enabled: false } },
  { key: 'journal-on', label: 'gateway, full bodies, journal on (default)', journal: { enabled: true } },
  {
    key: 'journal-fsync',
    label: 'gateway, full bodies, journal + fsync',
    journal: { enabled: true, fsync: true },
  },
];

try {
  const emulator = await group.launch({ name: 'emulator', script: join(here, 'servers', 'emulator.js') });
  const credentials = emulator.info['credentials'] as GatewayChildOptions['credentials'];
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': credentials.anthropicApiKey,
  };
  const gateways = await Promise.all(
    PLANS.map((plan) =>
      group.launch({
        name: plan.key,
        script: join(here, 'servers', 'gateway.js'),
        args: [
          JSON.stringify({
            upstream: emulator.url,
            target: 'anthropic',
            storeUrl: `sqlite://${join(folder, `${plan.key}.db`)}`,
            bodies: 'full',
            journal: plan.journal,
            credentials,
          } satisfies GatewayChildOptions),
        ],
      }),
    ),
  );
  const systems: System[] = [
    {
      key: 'direct',
      label: 'direct: emulator',
      server: emulator,
      endpoint: anthropicEndpoint(emulator.url, headers),
      baseline: 'direct',
      ours: false,
      default: false,
    },
    ...PLANS.map((plan, index) => {
      const server = gateways[index];
      if (!server) throw new Error(`${plan.key} did not start`);
      return {
        key: plan.key as SystemKey,
        label: plan.label,
        server,
        endpoint: anthropicEndpoint(server.url, headers),
        baseline: 'direct' as const,
        ours: true,
        default: false,
      };
    }),
  ];
  const reset = async () => {
    const answer = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await answer.arrayBuffer();
  };
  for (const bodySize of [undefined, 100 * 1024]) {
    const result = await measureLatency(
      systems,
      {
        name: 'sequential',
        concurrency: 1,
        requests,
        rounds: 6,
        warmup: 100,
        ...(bodySize !== undefined ? { bodySize } : {}),
      },
      reset,
    );
    const direct = result.bySystem.get('direct' as SystemKey);
    const off = result.bySystem.get('journal-off' as SystemKey);
    if (!direct || !off) throw new Error('no samples');
    console.log(
      `\nsequential, ${(result.bodyBytes / 1024).toFixed(1)} KB body, ${requests} requests each (median / p99 ms)`,
    );
    for (const system of systems) {
      const summary = result.bySystem.get(system.key);
      if (!summary) continue;
      const added = summary.median - direct.median;
      const ratio =
        system.key === 'direct'
          ? ''
          : `  added ${added.toFixed(3)} ms; ÷ journal off: ${(summary.median / off.median).toFixed(3)}× total, ${(added / (off.median - direct.median)).toFixed(2)}× added`;
      console.log(
        `  ${system.label.padEnd(44)} ${summary.median.toFixed(3)} / ${summary.p99.toFixed(3)}${ratio}`,
      );
    }
    for (const [key, failed] of result.failures) console.log(`  ${key}: ${failed} failed`);
  }
} finally {
  await group.stopAll();
  rmSync(folder, { recursive: true, force: true });
}
