import { timingSafeEqual } from 'node:crypto';
import { handleSignIn } from '../identity/sign-in-routes.js';
import { serveUi } from '../ui/server/serve-ui.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ActivityEntry } from './activity.js';
import { handleAdmin } from './admin.js';
import type { GatewayContext } from './context.js';
import type { Dialect } from './dialect.js';
import { renderDialectError } from './egress/index.js';
import { Exchange, type NodeRequest, type NodeResponse } from './exchange.js';
import { anthropicOperation, readAnthropicCall } from './ingress/anthropic.js';
import { bedrockRuntimeTarget, readBedrockCall } from './ingress/bedrock.js';
import { converseTarget, readConverseCall } from './ingress/converse.js';
import { readVertexCall, vertexTarget } from './ingress/vertex.js';
import { serveListing } from './listings.js';
import { handleOtlpExport, OTLP_PATHS } from './otlp-ingest.js';
import { newRequestId, serveCall } from './serve-call.js';

/** The dialect a path belongs to, for answering errors in the client's own shape. */
export function dialectOfPath(path: string): Dialect {
  if (
    path.startsWith('/model/') ||
    path.startsWith('/inference-profiles') ||
    path.startsWith('/foundation-models')
  ) {
    return 'bedrock';
  }
  if (path.startsWith('/v1/projects/') || path.startsWith('/projects/')) return 'vertex';
  return 'anthropic';
}

export function sendJson(
  exchange: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  exchange.send(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

/** Answers an error outside a Messages call (an unknown path, a refused listing) and logs the request. */
export async function sendError(
  context: GatewayContext,
  exchange: Exchange,
  dialect: Dialect,
  error: GatewayError,
): Promise<void> {
  const requestId = newRequestId();
  const rendered = renderDialectError(dialect, error, requestId);
  const listing = /^\/(v1\/models|foundation-models|inference-profiles)(\/|$)/.test(exchange.path);
  const activity = new ActivityEntry(context.store, context.config.store.bodies, {
    id: requestId,
    dialect,
    operation: listing ? 'models' : 'unknown',
    ...(exchange.clientAddress ? { clientAddress: exchange.clientAddress } : {}),
    ...(exchange.header('user-agent') ? { userAgent: exchange.header('user-agent') as string } : {}),
  });
  // Recorded (journaled) before the answer goes out: see serve-call.ts.
  activity.finish(rendered.status, error);
  await activity.recorded();
  exchange.send(
    rendered.status,
    { ...rendered.headers, 'x-claude-gateway-request-id': requestId },
    rendered.body,
  );
  context.metrics.requestDone(dialect, rendered.status, activity);
}

/**
 * The gateway's one request handler: health and metrics, the admin API and the dashboard, the
 * three dialects' Messages endpoints and model listings, and a 404 in the
 * dialect the path suggests. Never throws: every failure is an answer.
 */
export async function handleRequest(
  context: GatewayContext,
  request: NodeRequest,
  response: NodeResponse,
): Promise<void> {
  const exchange = new Exchange(request, response, context.clientAddresses);
  const { method, path } = exchange;
  const dialect = dialectOfPath(path);
  /**
   * A call is returned with its failure handled, not awaited: this frame then
   * ends at once instead of staying suspended for a stream's whole life.
   */
  const settled = (call: Promise<void>): Promise<void> =>
    call.catch((error: unknown) => answerFailure(context, exchange, dialect, path, error));
  try {
    if (path === '/healthz') return sendJson(exchange, 200, { status: 'ok' });
    if (path === '/readyz') {
      if (context.shuttingDown) return sendJson(exchange, 503, { status: 'shutting down' });
      // Checked at most once per couple of seconds however often the probe comes (see StoreHealth).
      const store = await context.storeHealth?.check();
      if (store && !store.ok) {
        return sendJson(exchange, 503, {
          status: 'not ready',
          reason: `the activity and key store does not answer: ${store.reason}`,
        });
      }
      return sendJson(exchange, 200, { status: 'ready' });
    }
    // Claude Code's start-up probe (a HEAD in Anthropic mode): answered without a key, like the listings.
    if (path === '/api/hello' && (method === 'HEAD' || method === 'GET')) {
      return sendJson(exchange, 200, { type: 'hello', message: 'claude-gateway is up' });
    }
    if (path === '/metrics' && method === 'GET') {
      const token = context.config.server.metricsToken;
      if (token && !sameSecret(exchange.header('authorization') ?? '', `Bearer ${token}`)) {
        return exchange.send(
          401,
          { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' },
          'The metrics need `Authorization: Bearer <server.metricsToken>`.\n',
        );
      }
      const text = await context.metrics.registry.metrics();
      return exchange.send(200, { 'content-type': context.metrics.registry.contentType }, text);
    }
    if (path === '/admin' || path.startsWith('/admin/')) return await handleAdmin(context, exchange);
    if (path.startsWith('/auth/') && (await handleSignIn(context, exchange))) return;
    const otlpSignal = OTLP_PATHS[path];
    if (otlpSignal) return await handleOtlpExport(context, exchange, otlpSignal, context.otlpForward);
    if (path === '/ui' || path.startsWith('/ui/')) return await serveUi(context, exchange);

    const anthropic = anthropicOperation(method, path);
    if (anthropic === 'messages' || anthropic === 'count_tokens') {
      return settled(
        serveCall(context, exchange, 'anthropic', anthropic, (raw) =>
          readAnthropicCall(exchange, anthropic, raw, context.catalog),
        ),
      );
    }
    const bedrock = bedrockRuntimeTarget(method, path);
    if (bedrock)
      return settled(
        serveCall(
          context,
          exchange,
          'bedrock',
          bedrock.operation === 'count-tokens' ? 'count_tokens' : 'messages',
          (raw) => readBedrockCall(exchange, bedrock, raw, context.catalog),
        ),
      );
    const converse = converseTarget(method, path);
    if (converse)
      return settled(
        serveCall(
          context,
          exchange,
          'bedrock',
          'messages',
          (raw) => readConverseCall(exchange, context.catalog, converse, raw),
          'converse',
        ),
      );
    const vertex = vertexTarget(method, path);
    if (vertex)
      return settled(
        serveCall(
          context,
          exchange,
          'vertex',
          vertex.model === 'count-tokens' ? 'count_tokens' : 'messages',
          (raw) => readVertexCall(exchange, vertex, raw),
        ),
      );
    if (await serveListing(context, exchange, dialect)) return;
    throw GatewayError.fromCode('NOT_FOUND', { method, path });
  } catch (error) {
    await answerFailure(context, exchange, dialect, path, error);
  }
}

/** What `handleRequest` does with a failure it did not expect: the error in the dialect, or the stream's end. */
async function answerFailure(
  context: GatewayContext,
  exchange: Exchange,
  dialect: Dialect,
  path: string,
  error: unknown,
): Promise<void> {
  const gatewayError = GatewayError.from(error);
  if (gatewayError.code === 'INTERNAL_ERROR') context.logger.error({ err: error, path }, 'internal error');
  if (!exchange.streamStarted) await sendError(context, exchange, dialect, gatewayError);
  else exchange.end();
}

/** Compares two secrets in constant time (the lengths may differ). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
