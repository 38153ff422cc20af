/**
 * The systems under test, each in its own process on a free loopback port,
 * all in front of one emulator: direct calls (Anthropic API, and Bedrock as
 * the baseline of the Bedrock path), the bare proxy, claude-gateway
 * (Anthropic → Anthropic and Anthropic → Bedrock) in its default
 * configuration (the activity log keeps full bodies, metrics on) and with the
 * log keeping metadata only or no bodies, and Portkey's gateway.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bedrockModelId, resolveModel } from '../src/catalog/resolve.js';
import { MODEL } from './bodies.js';
import { anthropicEndpoint, bedrockEndpoint, type Endpoint } from './endpoints.js';
import type { ProcessGroup, ServerProcess } from './launcher.js';
import type { GatewayChildOptions } from './servers/gateway.js';

export type SystemKey =
  | 'direct'
  | 'direct-bedrock'
  | 'bare'
  | 'gateway-anthropic'
  | 'gateway-bedrock'
  | 'gateway-anthropic-metadata'
  | 'gateway-bedrock-metadata'
  | 'gateway-anthropic-none'
  | 'portkey'
  | 'portkey-bedrock';

export interface System {
  key: SystemKey;
  label: string;
  /** The process whose RSS is the system's (the emulator for the direct baselines). */
  server: ServerProcess;
  endpoint: Endpoint;
  /** What its added cost is measured over: the direct call to the same emulator API. */
  baseline: 'direct' | 'direct-bedrock';
  /** One of claude-gateway's configurations. */
  ours: boolean;
  /** claude-gateway in its default configuration: the targets apply. */
  default: boolean;
}

export interface Systems {
  emulator: ServerProcess;
  byKey: Map<SystemKey, System>;
  get(key: SystemKey): System;
  /** Makes the emulator forget its request journal and prompt cache (it keeps every body it saw). */
  resetEmulator(): Promise<void>;
}

export interface StartOptions {
  /** Where the activity logs' SQLite files go. */
  storeFolder: string;
  /** When set, the gateway processes write a CPU profile here on stop. */
  profileFolder?: string;
}

const here = import.meta.dirname;

/** The repository root: the nearest folder above this file whose package.json is claude-gateway's. */
export function repositoryRoot(): string {
  for (let folder = here; folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'claude-gateway') {
      return folder;
    }
  }
  throw new Error('cannot find the claude-gateway repository above the bench');
}

/**
 * The Node flags `claude-gateway serve` runs with: those on the first line of
 * the command's source (`#!/usr/bin/env -S node …`), so every gateway the
 * bench starts runs as `serve` does.
 */
export function serveNodeFlags(): string[] {
  const command = join(repositoryRoot(), 'src', 'cli', 'bin.ts');
  const firstLine = readFileSync(command, 'utf8').split('\n')[0] ?? '';
  const match = /^#!\S*env\s+(?:-S\s+)?node\s*(.*)$/.exec(firstLine);
  // Without the line the bench would quietly measure servers that run unlike `serve`.
  if (!match) throw new Error(`${command} does not start with a #!/usr/bin/env node line`);
  return (match[1] ?? '').split(/\s+/).filter(Boolean);
}

const LABELS: Record<SystemKey, string> = {
  direct: 'direct: emulator (Anthropic API)',
  'direct-bedrock': 'direct: emulator (Bedrock, signed once)',
  bare: 'bare Node proxy',
  'gateway-anthropic': 'claude-gateway → anthropic',
  'gateway-bedrock': 'claude-gateway → bedrock',
  'gateway-anthropic-metadata': 'claude-gateway → anthropic, bodies: metadata',
  'gateway-bedrock-metadata': 'claude-gateway → bedrock, bodies: metadata',
  'gateway-anthropic-none': 'claude-gateway → anthropic, bodies: none',
  portkey: 'Portkey 1.15.2',
  'portkey-bedrock': 'Portkey 1.15.2 → bedrock',
};

interface GatewayPlan {
  key: SystemKey;
  target: string;
  bodies: GatewayChildOptions['bodies'];
}

/** The first two are the default configuration (`bodies: full`); the targets apply to them. */
const GATEWAYS: GatewayPlan[] = [
  { key: 'gateway-anthropic', target: 'anthropic', bodies: 'full' },
  { key: 'gateway-bedrock', target: 'bedrock/us', bodies: 'full' },
  { key: 'gateway-anthropic-metadata', target: 'anthropic', bodies: 'metadata' },
  { key: 'gateway-bedrock-metadata', target: 'bedrock/us', bodies: 'metadata' },
  { key: 'gateway-anthropic-none', target: 'anthropic', bodies: 'none' },
];

/** Starts the emulator, then every system in front of it. */
export async function startSystems(group: ProcessGroup, options: StartOptions): Promise<Systems> {
  const emulator = await group.launch({ name: 'emulator', script: join(here, 'servers', 'emulator.js') });
  const credentials = emulator.info['credentials'] as GatewayChildOptions['credentials'];
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': credentials.anthropicApiKey,
  };
  const startGateway = (plan: GatewayPlan) => {
    const childOptions: GatewayChildOptions = {
      upstream: emulator.url,
      target: plan.target,
      storeUrl: `sqlite://${join(options.storeFolder, `${plan.key}.db`)}`,
      bodies: plan.bodies,
      credentials,
    };
    return group.launch({
      name: plan.key,
      script: join(here, 'servers', 'gateway.js'),
      args: [JSON.stringify(childOptions)],
      nodeFlags: [
        ...serveNodeFlags(),
        ...(options.profileFolder
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${options.profileFolder}`,
              `--cpu-prof-name=${plan.key}.cpuprofile`,
            ]
          : []),
      ],
    });
  };
  const portkeyScript = join(repositoryRoot(), 'node_modules/@portkey-ai/gateway/build/start-server.js');
  const [bare, portkey, ...gateways] = await Promise.all([
    // The floor gets the same young generation as the gateway: any Node proxy can run with it.
    group.launch({
      name: 'bare',
      script: join(here, 'servers', 'bare-proxy.js'),
      args: [emulator.url],
      nodeFlags: serveNodeFlags(),
    }),
    group.launch({
      name: 'portkey',
      script: portkeyScript,
      args: ['--port=0', '--headless'],
      nodeFlags: ['--import', pathToFileURL(join(here, 'servers', 'portkey-preload.js')).href],
    }),
    ...GATEWAYS.map(startGateway),
  ]);
  const system = (
    key: SystemKey,
    server: ServerProcess,
    endpoint: Endpoint,
    baseline: System['baseline'] = 'direct',
  ): System => ({
    key,
    label: LABELS[key],
    server,
    endpoint,
    baseline,
    ours: key.startsWith('gateway-'),
    default: key === 'gateway-anthropic' || key === 'gateway-bedrock',
  });
  const list: System[] = [
    system('direct', emulator, anthropicEndpoint(emulator.url, headers)),
    system(
      'direct-bedrock',
      emulator,
      bedrockEndpoint(emulator.url, {
        accessKeyId: credentials.awsAccessKeyId,
        secretAccessKey: credentials.awsSecretAccessKey,
      }),
      'direct-bedrock',
    ),
    system('bare', bare as ServerProcess, anthropicEndpoint((bare as ServerProcess).url, headers)),
    ...GATEWAYS.map((plan, index) => {
      const server = gateways[index] as ServerProcess;
      return system(
        plan.key,
        server,
        anthropicEndpoint(server.url, headers),
        plan.target === 'anthropic' ? 'direct' : 'direct-bedrock',
      );
    }),
    system(
      'portkey',
      portkey as ServerProcess,
      anthropicEndpoint((portkey as ServerProcess).url, {
        ...headers,
        'x-portkey-provider': 'anthropic',
        'x-portkey-custom-host': `${emulator.url}/v1`,
      }),
    ),
    // The same Portkey serving the same Anthropic client on Bedrock (it signs and calls Converse):
    // the job claude-gateway → bedrock does, with the emulator's Bedrock work on both sides.
    system(
      'portkey-bedrock',
      portkey as ServerProcess,
      anthropicEndpoint(
        (portkey as ServerProcess).url,
        {
          ...headers,
          'x-portkey-provider': 'bedrock',
          'x-portkey-aws-access-key-id': credentials.awsAccessKeyId,
          'x-portkey-aws-secret-access-key': credentials.awsSecretAccessKey,
          'x-portkey-aws-region': 'us-east-1',
          'x-portkey-custom-host': emulator.url,
        },
        bedrockModelId(resolveModel(MODEL), 'us'),
      ),
      'direct-bedrock',
    ),
  ];
  const byKey = new Map(list.map((entry) => [entry.key, entry]));
  return {
    emulator,
    byKey,
    get(key) {
      const found = byKey.get(key);
      if (!found) throw new Error(`no system ${key}`);
      return found;
    },
    async resetEmulator() {
      const answer = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
      await answer.arrayBuffer();
    },
  };
}
