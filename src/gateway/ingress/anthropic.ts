import type { Catalog } from '../../catalog/catalog.js';
import { defaultCatalog } from '../../catalog/default-catalog.js';
import type { ResolvedModel } from '../../catalog/resolve.js';
import { bedrockMessagesDescriptor } from '../../platforms/bedrock-messages/descriptor.js';
import { mergeBetas } from '../../platforms/betas.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type IngressCall, sessionField } from '../dialect.js';
import type { Exchange } from '../exchange.js';
import { checkBetaNames, checkMessagesShape, checkModelName, parseJsonBody } from './body.js';

/** Anthropic Messages paths the gateway serves. */
export function anthropicOperation(
  method: string,
  path: string,
): IngressCall['operation'] | 'models' | undefined {
  if (method === 'POST' && (path === '/v1/messages' || path === '/anthropic/v1/messages')) return 'messages';
  if (
    method === 'POST' &&
    (path === '/v1/messages/count_tokens' || path === '/anthropic/v1/messages/count_tokens')
  ) {
    return 'count_tokens';
  }
  if (method === 'GET' && path === '/v1/models') return 'models';
  return undefined;
}

/**
 * Reads an Anthropic Messages request (`POST /v1/messages`, with or without
 * `?beta=true`, or `count_tokens`): the body as is, betas from the
 * `anthropic-beta` header, the API version from `anthropic-version`.
 */
export function readAnthropicCall(
  exchange: Exchange,
  operation: IngressCall['operation'],
  rawBody: Buffer,
  catalog: Catalog = defaultCatalog(),
): IngressCall {
  const body = parseJsonBody(rawBody);
  const model = body['model'];
  if (model === undefined || model === '') throw GatewayError.fromCode('MISSING_MODEL');
  if (typeof model !== 'string') {
    throw GatewayError.fromCode('INVALID_REQUEST', {
      reason: `\`model\` must be a string, got ${JSON.stringify(model)}`,
    });
  }
  checkModelName(model);
  checkMessagesShape(body, operation);
  const version = exchange.header('anthropic-version');
  const resolved = catalog.resolve(model);
  return {
    dialect: 'anthropic',
    resolved,
    operation,
    requestedModel: model,
    call: {
      body,
      stream: operation === 'messages' && body['stream'] === true,
      betas: checkBetaNames(
        mergeBetas(exchange.header('anthropic-beta'), body['anthropic_beta'] as unknown[] | undefined),
      ),
      ...(version ? { anthropicVersion: version } : {}),
      ...forwardedHeaders(exchange),
      rawBody,
    },
    rawBody,
    ...bedrockHint(resolved),
    ...sessionField(exchange.header('x-claude-code-session-id'), body),
  };
}

/**
 * Where a Messages client itself pointed when it names a Bedrock profile in the body
 * (`AnthropicBedrockMantle`: `eu.anthropic.claude-haiku-4-5`): that profile on Bedrock's Messages
 * API (on InvokeModel for a model only it offers). As for a Bedrock or Vertex client, it is tried
 * first when no route matches, and with `clientGeography: require` it is a residency rule.
 */
function bedrockHint(resolved: ResolvedModel): { hint?: string } {
  if (!resolved.bedrockScope) return {};
  // Bedrock's Messages API when the model is on it, else InvokeModel (the legacy models).
  const entry = resolved.model;
  const platform =
    entry && bedrockMessagesDescriptor.catalogId(entry) === undefined ? 'bedrock' : 'bedrock-messages';
  return { hint: `${platform}/${resolved.bedrockScope}` };
}

/**
 * Client headers a platform must see as sent: the Claude Platform on AWS
 * workspace (`anthropic-workspace-id`, which Claude Code and `@anthropic-ai/aws-sdk`
 * send). The platforms that do not know it ignore it.
 */
function forwardedHeaders(exchange: Exchange): { forwardHeaders?: Record<string, string> } {
  const workspace = exchange.header('anthropic-workspace-id');
  return workspace ? { forwardHeaders: { 'anthropic-workspace-id': workspace } } : {};
}
