/**
 * claude-gateway for `bench/fuzz.ts`, in its own process so its RSS is its
 * own: every platform pointed at the emulator process (as `serve --emulate`
 * does, with the emulator's routes), the activity log in a SQLite file, short
 * client timeouts (so bodies and headers that stop arriving are answered
 * quickly), a 1 MB body limit, and optionally one gateway key.
 *
 * Usage: node fuzz-gateway.js '<FuzzGatewayOptions as JSON>'
 */
import {
  EMULATED_DEFAULT_TARGETS,
  emulatedPlatforms,
  emulatedRoutes,
} from '../../src/config/emulated-platforms.js';
import { parseConfig } from '../../src/config/load.js';
import { startGateway, storeUrlFor } from '../../src/gateway/server.js';
import { openStore } from '../../src/store/open-store.js';
import { answerParent, reportFailure, reportReady } from './child-ipc.js';

export interface FuzzGatewayOptions {
  /** The emulator's origin. */
  upstream: string;
  /** `sqlite://…` */
  storeUrl: string;
  /** Create one gateway key (then every request needs it). */
  keyed: boolean;
  /** What the activity log keeps of each request (`store.bodies`); full by default, as in `serve`. */
  bodies?: 'full' | 'metadata' | 'none';
}

try {
  const options = JSON.parse(process.argv[2] ?? '') as FuzzGatewayOptions;
  const response = await fetch(`${options.upstream}/_emulator/credentials`);
  const published = (await response.json()) as {
    aws: { accessKeyId: string; secretAccessKey: string; accountId: string; bedrockApiKey: string };
    anthropic: { apiKey: string };
    vertex: { projectId: string; serviceAccount: Record<string, unknown> };
  };
  const auth = {
    credentials: {
      awsAccessKeyId: published.aws.accessKeyId,
      awsSecretAccessKey: published.aws.secretAccessKey,
      awsAccountId: published.aws.accountId,
      bedrockApiKey: published.aws.bedrockApiKey,
      anthropicApiKey: published.anthropic.apiKey,
      vertexProjectId: published.vertex.projectId,
    },
    serviceAccountJson: () => published.vertex.serviceAccount,
  } as unknown as Parameters<typeof emulatedPlatforms>[0]['auth'];
  const config = parseConfig(
    {
      server: {
        host: '127.0.0.1',
        port: 0,
        maxBodyBytes: 1_048_576,
        clientTimeouts: { headersMs: 1_000, bodyMs: 1_000, idleMs: 5_000 },
      },
      store: { url: options.storeUrl, ...(options.bodies ? { bodies: options.bodies } : {}) },
      routes: emulatedRoutes(),
      defaultTargets: EMULATED_DEFAULT_TARGETS,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    },
    {},
    'fuzz bench configuration',
  );
  const store = await openStore(storeUrlFor(config), { journal: config.store.journal });
  const key = options.keyed ? (await store.createKey({ name: 'fuzz' })).secret : undefined;
  const gateway = await startGateway({
    config,
    platforms: emulatedPlatforms({ baseUrl: options.upstream, auth }),
    store,
  });
  answerParent(() => gateway.stop(1_000));
  reportReady(gateway.port, key ? { key } : {});
} catch (error) {
  reportFailure(error);
}
