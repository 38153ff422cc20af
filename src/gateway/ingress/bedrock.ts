import type { Catalog } from '../../catalog/catalog.js';
import { defaultCatalog } from '../../catalog/default-catalog.js';
import { decodePathSegment } from '../../net/decode-path-segment.js';
import { mergeBetas } from '../../platforms/betas.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type IngressCall, sessionField } from '../dialect.js';
import type { Exchange } from '../exchange.js';
import { checkBetaNames, checkMessagesShape, checkModelName, parseJsonBody } from './body.js';
import { converseCountTokensBody } from './converse.js';

const RUNTIME_PATH = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|count-tokens)$/;

/** A Bedrock runtime path: the model id (decoded) and the operation. */
export function bedrockRuntimeTarget(
  method: string,
  path: string,
): { modelId: string; operation: 'invoke' | 'invoke-with-response-stream' | 'count-tokens' } | undefined {
  if (method !== 'POST') return undefined;
  const match = RUNTIME_PATH.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  const modelId = decodePathSegment(match[1]);
  return { modelId, operation: match[2] as 'invoke' | 'invoke-with-response-stream' | 'count-tokens' };
}

/**
 * Reads a Bedrock InvokeModel request: the model from the path (colon raw or
 * `%3A`), `anthropic_version` and `anthropic_beta` from the body, streaming
 * from the operation. CountTokens carries the InvokeModel body base64-encoded.
 */
export function readBedrockCall(
  exchange: Exchange,
  target: NonNullable<ReturnType<typeof bedrockRuntimeTarget>>,
  rawBody: Buffer,
  catalog: Catalog = defaultCatalog(),
): IngressCall {
  checkModelName(target.modelId, 'The model id in the path');
  let body = parseJsonBody(rawBody);
  const operation = target.operation === 'count-tokens' ? 'count_tokens' : 'messages';
  if (operation === 'count_tokens') {
    const input = body['input'] as { invokeModel?: { body?: unknown }; converse?: unknown } | undefined;
    const encoded = input?.invokeModel?.body;
    if (input?.converse !== undefined && encoded === undefined) {
      body = converseCountTokensBody(input.converse, target.modelId);
    } else if (typeof encoded !== 'string') {
      throw GatewayError.fromCode('INVALID_REQUEST', {
        reason:
          'CountTokens needs {"input": {"invokeModel": {"body": "<base64 of the InvokeModel JSON body>"}}} or {"input": {"converse": {"messages": […]}}}',
      });
    } else {
      body = parseJsonBody(Buffer.from(encoded, 'base64'));
    }
  }
  checkMessagesShape(body, operation);
  const version = body['anthropic_version'];
  const resolved = catalog.resolve(target.modelId);
  return {
    dialect: 'bedrock',
    resolved,
    operation,
    requestedModel: target.modelId,
    call: {
      body,
      stream: target.operation === 'invoke-with-response-stream',
      betas: checkBetaNames(
        mergeBetas(body['anthropic_beta'] as unknown[] | undefined, exchange.header('anthropic-beta')),
      ),
      ...(typeof version === 'string' ? { anthropicVersion: version } : {}),
    },
    rawBody,
    ...(resolved.bedrockScope ? { hint: `bedrock/${resolved.bedrockScope}` } : {}),
    ...sessionField(exchange.header('x-claude-code-session-id'), body),
  };
}
