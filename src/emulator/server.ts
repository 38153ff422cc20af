import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { type Clock, systemClock } from '../clock.js';
import { createDualProtocolServer } from '../net/dual-protocol-server.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { createEmulatorAuth, type EmulatorAuth } from './auth/emulator-auth.js';
import type { EmulatorCredentials } from './auth/emulator-credentials.js';
import type { FaultSpec } from './faults.js';
import { type EmulatorEnv, rawTarget } from './http.js';
import { platformErrorResponse } from './respond/platform-error-response.js';
import { mountAnthropicRoutes } from './routes/anthropic.js';
import { mountAwsMessagesRoutes } from './routes/aws-messages.js';
import { mountBedrockControlRoutes } from './routes/bedrock-control.js';
import { mountBedrockRuntimeRoutes } from './routes/bedrock-runtime.js';
import { mountControlRoutes } from './routes/control.js';
import { mountVertexRoutes } from './routes/vertex.js';
import { type EmulatorOptions, EmulatorState } from './state.js';

export interface EmulatorConfig {
  credentials?: Partial<EmulatorCredentials>;
  defaultAwsRegion?: string;
  eventDelayMs?: number;
  extraModels?: readonly string[];
  deniedModels?: readonly string[];
  verifyThinkingSignatures?: boolean;
  clock?: Clock;
  /** Application inference profiles of the emulated account (listed, and callable by their ARN). */
  applicationProfiles?: readonly { id: string; model: string }[];
  /** Faults armed from the start (the CLI's `--fault`). */
  faults?: readonly FaultSpec[];
  /**
   * Serve models retired on Anthropic-operated platforms there anyway (default
   * false: the Anthropic API, Claude Platform on AWS and Foundry answer 404 for
   * them by the clock, as the platforms do). For suites written around a model
   * that has since retired.
   */
  serveRetired?: boolean;
}

/** An emulator app, not yet listening: use `app.fetch` in-process or `startEmulator` to serve it. */
export interface Emulator {
  app: Hono<EmulatorEnv>;
  state: EmulatorState;
  auth: EmulatorAuth;
  /** Set once it listens; the control API and the service-account `token_uri` point here. */
  baseUrl: string;
}

/**
 * Builds the emulator: Anthropic, Foundry (`/anthropic/v1/…`), Bedrock runtime
 * and control plane, Bedrock's Messages API (both hosts), Claude Platform on AWS, STS (`POST /`), Vertex AI, Google's token endpoint and
 * metadata server, and the `/_emulator/` control API, on one origin.
 */
export function createEmulator(config: EmulatorConfig = {}): Emulator {
  const auth = createEmulatorAuth({ credentials: config.credentials ?? {} });
  const options: EmulatorOptions = {
    credentials: auth.credentials,
    defaultAwsRegion: config.defaultAwsRegion ?? 'us-east-1',
    eventDelayMs: config.eventDelayMs ?? 0,
    extraModels: config.extraModels ?? [],
    deniedModels: config.deniedModels ?? [],
    verifyThinkingSignatures: config.verifyThinkingSignatures ?? true,
    clock: config.clock ?? systemClock,
    applicationProfiles: config.applicationProfiles ?? [],
    serveRetired: config.serveRetired ?? false,
  };
  const state = new EmulatorState(options);
  for (const fault of config.faults ?? []) state.faults.add(fault);
  const app = new Hono<EmulatorEnv>();
  const emulator: Emulator = { app, state, auth, baseUrl: 'http://127.0.0.1' };

  mountControlRoutes(app, state, auth, () => emulator.baseUrl);
  // Before the Anthropic and Foundry routes: it claims AWS-authenticated requests on their paths.
  mountAwsMessagesRoutes(app, state, auth);
  mountAnthropicRoutes(app, state, auth, 'anthropic', '');
  mountAnthropicRoutes(app, state, auth, 'foundry', '/anthropic');
  mountBedrockRuntimeRoutes(app, state, auth);
  mountBedrockControlRoutes(app, state, auth);
  mountVertexRoutes(app, state, auth);
  app.post('/token', (context) => auth.handleGoogleTokenRequest(context.req.raw));
  app.get('/computeMetadata/*', (context) => auth.handleMetadataRequest(context.req.raw));
  app.get('/', (context) =>
    context.req.header('metadata-flavor')
      ? auth.handleMetadataRequest(context.req.raw)
      : context.json({ emulator: 'claude-gateway' }),
  );
  app.post('/', (context) => auth.handleStsRequest(context.req.raw));

  app.notFound((context) => {
    const { path } = rawTarget(context);
    const message = `The emulator serves nothing at ${context.req.method} ${path}.`;
    if (
      path.startsWith('/model/') ||
      path.startsWith('/foundation-models') ||
      path.startsWith('/inference-profiles')
    ) {
      return platformErrorResponse(
        'bedrock',
        GatewayError.fromBedrock({ name: 'UnknownOperationException', status: 404, message }),
      );
    }
    if (path.startsWith('/v1/projects/')) {
      return platformErrorResponse(
        'vertex',
        GatewayError.fromGoogle({ code: 404, status: 'NOT_FOUND', message, platform: 'vertex' }),
      );
    }
    return platformErrorResponse(
      'anthropic',
      GatewayError.fromAnthropic({ status: 404, type: 'not_found_error', message, platform: 'anthropic' }),
    );
  });
  app.onError((error, context) => {
    // The emulator never crashes on bad input: whatever slips through is a 500 in the Anthropic shape.
    const message = `The emulator failed on ${context.req.method} ${rawTarget(context).path}: ${error.message}`;
    return platformErrorResponse(
      'anthropic',
      GatewayError.fromAnthropic({ status: 500, type: 'api_error', message, platform: 'anthropic' }),
    );
  });
  return emulator;
}

export interface RunningEmulator extends Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts an emulator listening on `host:port` (port 0 picks a free one).
 *
 * @example
 * const emulator = await startEmulator({ port: 0 });
 * const client = new Anthropic({ baseURL: emulator.url, apiKey: 'sk-ant-emulator' });
 */
export async function startEmulator(
  config: EmulatorConfig & { host?: string; port?: number } = {},
): Promise<RunningEmulator> {
  const emulator = createEmulator(config);
  const host = config.host ?? '127.0.0.1';
  const listening = createDualProtocolServer(getRequestListener(emulator.app.fetch));
  await new Promise<void>((resolve, reject) => {
    listening.server.once('error', reject);
    listening.server.listen(config.port ?? 0, host, () => resolve());
  });
  const port = (listening.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emulator.baseUrl = url;
  return {
    ...emulator,
    url,
    port,
    close: () => listening.close(),
  };
}
