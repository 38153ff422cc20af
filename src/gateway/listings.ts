import { bedrockModels, foundationModelSummary, inferenceProfiles } from '../catalog/bedrock-listings.js';
import { isRetired } from '../catalog/deprecation.js';
import type { ModelEntry } from '../catalog/types.js';
import { decodePathSegment } from '../net/decode-path-segment.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ActivityEntry } from './activity.js';
import type { Caller } from './callers.js';
import type { GatewayContext } from './context.js';
import type { Dialect } from './dialect.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './handle-request.js';
import { newRequestId } from './serve-call.js';

/*
 * The model listings clients read at start, answered from the gateway's
 * catalog (built-in, discovered and configured models): the Anthropic API's
 * `/v1/models` (Claude Code's model discovery asks `?limit=1000`) and Bedrock's
 * `/foundation-models` and `/inference-profiles` (Claude Code in Bedrock mode
 * picks its default model from the profiles).
 */

/** The account id in listed ARNs: the gateway stands in for the platforms' accounts. */
const GATEWAY_ACCOUNT = '000000000000';

function anthropicModel(model: ModelEntry) {
  const date = /(\d{4})(\d{2})(\d{2})$/.exec(model.anthropicId);
  const created = model.released ?? (date ? `${date[1]}-${date[2]}-${date[3]}` : '2025-01-01');
  return {
    type: 'model',
    id: model.anthropicId,
    display_name: model.displayName,
    created_at: `${created}T00:00:00Z`,
  };
}

/** Page `all` the way the platform pages: by `after_id` (Anthropic) or a numeric `nextToken` (Bedrock). */
function pageOf<T>(all: T[], start: number, size: number): { page: T[]; more: boolean } {
  return { page: all.slice(start, start + size), more: start + size < all.length };
}

/**
 * Answers a model listing in the dialect's shape, or returns false when the
 * path is not one. Listings need a gateway key only with
 * `server.listingsRequireKey` (they reveal only what the platforms publish).
 */
export async function serveListing(
  context: GatewayContext,
  exchange: Exchange,
  dialect: Dialect,
): Promise<boolean> {
  const { method, path } = exchange;
  if (method !== 'GET') return false;
  const now = context.clock();
  let caller: Caller = {};
  const identify = async () => {
    if (context.config.server.listingsRequireKey) caller = await context.callers.identify(exchange);
  };
  // A listing lands in the activity log like every other request (recorded before the answer goes out).
  const answer = async (body: unknown) => {
    const id = newRequestId();
    const activity = new ActivityEntry(context.store, context.config.store.bodies, {
      id,
      dialect,
      operation: 'models',
      ...(exchange.clientAddress ? { clientAddress: exchange.clientAddress } : {}),
      ...(exchange.header('user-agent') ? { userAgent: exchange.header('user-agent') as string } : {}),
    });
    activity.caller(caller);
    activity.finish(200);
    await activity.recorded();
    sendJson(exchange, 200, body, { 'x-claude-gateway-request-id': id });
    context.metrics.requestDone(dialect, 200, activity);
  };
  if (dialect === 'anthropic' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
    await identify();
    if (path !== '/v1/models') {
      const model = context.catalog.find(decodePathSegment(path.slice('/v1/models/'.length)));
      if (!model) throw GatewayError.fromCode('NOT_FOUND', { method, path });
      await answer(anthropicModel(model));
      return true;
    }
    const limit = Math.min(1000, Number(exchange.query.get('limit') ?? 20) || 20);
    const after = exchange.query.get('after_id');
    const all = context.catalog
      .list()
      .filter((model) => !isRetired(model, now))
      .map(anthropicModel);
    const start = after ? all.findIndex((model) => model.id === after) + 1 : 0;
    const { page, more } = pageOf(all, start, limit);
    await answer({
      data: page,
      has_more: more,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    });
    return true;
  }
  if (dialect !== 'bedrock') return false;
  const region = context.routing.defaults.bedrockRegion ?? 'us-east-1';
  const models = context.catalog.list();
  if (path === '/foundation-models' || path.startsWith('/foundation-models/')) {
    await identify();
    const offered = bedrockModels(models, now);
    if (path !== '/foundation-models') {
      const model = context.catalog.find(decodePathSegment(path.slice('/foundation-models/'.length)));
      const found = offered.find((candidate) => candidate === model);
      if (!found) throw GatewayError.fromCode('NOT_FOUND', { method, path });
      await answer({ modelDetails: foundationModelSummary(found, region, now) });
      return true;
    }
    await answer({
      modelSummaries: offered.map((model) => foundationModelSummary(model, region, now)),
    });
    return true;
  }
  if (path === '/inference-profiles' || path.startsWith('/inference-profiles/')) {
    await identify();
    const all =
      exchange.query.get('type') === 'APPLICATION'
        ? []
        : inferenceProfiles(models, now, region, GATEWAY_ACCOUNT);
    if (path !== '/inference-profiles') {
      const wanted = decodePathSegment(path.slice('/inference-profiles/'.length));
      const profile = all.find(
        (candidate) => candidate.inferenceProfileId === wanted || candidate.inferenceProfileArn === wanted,
      );
      if (!profile) throw GatewayError.fromCode('NOT_FOUND', { method, path });
      await answer(profile);
      return true;
    }
    const maxResults = Math.min(1000, Math.max(1, Number(exchange.query.get('maxResults') ?? 1000) || 1000));
    const start = Number(exchange.query.get('nextToken') ?? 0) || 0;
    const { page, more } = pageOf(all, start, maxResults);
    await answer({
      inferenceProfileSummaries: page,
      ...(more ? { nextToken: String(start + maxResults) } : {}),
    });
    return true;
  }
  return false;
}
