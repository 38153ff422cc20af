/**
 * claude-gateway in its own process, as `serve` runs it: one route sending
 * every model to one target of the emulator, and the activity log in a
 * SQLite file.
 *
 * Usage: node gateway.js '<GatewayChildOptions as JSON>'
 */
import { parseConfig } from '../../src/config/load.js';
import type { PlatformsConfig } from '../../src/config/schema.js';
import { startGateway } from '../../src/gateway/server.js';
import { startAllocationSampling } from './allocation-sampling.js';
import { answerParent, reportFailure, reportReady } from './child-ipc.js';

export interface GatewayChildOptions {
  /** The emulator's origin. */
  upstream: string;
  /** `anthropic` or `bedrock/us`. */
  target: string;
  /** `sqlite://…` */
  storeUrl: string;
  bodies: 'full' | 'metadata' | 'none';
  /** `store.compressBodies` (off, the default, when absent). */
  compressBodies?: boolean;
  /** The activity journal (`store.journal`); on, without fsync, when absent (the default). */
  journal?: { enabled: boolean; fsync?: boolean };
  credentials: { anthropicApiKey: string; awsAccessKeyId: string; awsSecretAccessKey: string };
}

try {
  const options = JSON.parse(process.argv[2] ?? '') as GatewayChildOptions;
  const config = parseConfig(
    {
      // One load client opens up to 1,000 connections: no per-client cap here.
      server: { host: '127.0.0.1', port: 0, maxConnectionsPerClient: 0 },
      store: {
        url: options.storeUrl,
        bodies: options.bodies,
        ...(options.compressBodies ? { compressBodies: true } : {}),
        ...(options.journal ? { journal: options.journal } : {}),
      },
      routes: [{ models: ['*'], targets: [options.target] }],
    },
    {},
    'bench configuration',
  );
  const platforms: PlatformsConfig = {
    anthropic: { apiKey: options.credentials.anthropicApiKey, baseUrl: options.upstream },
    bedrock: {
      region: 'us-east-1',
      accessKeyId: options.credentials.awsAccessKeyId,
      secretAccessKey: options.credentials.awsSecretAccessKey,
      endpoint: options.upstream,
    },
  };
  const gateway = await startGateway({ config, platforms });
  const writeAllocations = await startAllocationSampling(`gateway-${options.target}`);
  answerParent(async () => {
    await writeAllocations?.();
    await gateway.stop(0);
  });
  reportReady(gateway.port);
} catch (error) {
  reportFailure(error);
}
