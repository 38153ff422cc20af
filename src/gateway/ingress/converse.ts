import type { Catalog } from '../../catalog/catalog.js';
import { decodePathSegment } from '../../net/decode-path-segment.js';
import { converseInvalid, objectAt } from '../../wire/converse/converse-fields.js';
import { converseToMessages } from '../../wire/converse/converse-request.js';
import { converseAnswer } from '../converse/converse-answer.js';
import { type IngressCall, sessionField } from '../dialect.js';
import type { Exchange } from '../exchange.js';
import { checkBetaNames, checkMessagesShape, checkModelName, parseJsonBody } from './body.js';

const CONVERSE_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** A Bedrock Converse path: the model id (decoded) and whether it streams. */
export function converseTarget(
  method: string,
  path: string,
): { modelId: string; stream: boolean } | undefined {
  if (method !== 'POST') return undefined;
  const match = CONVERSE_PATH.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  return { modelId: decodePathSegment(match[1]), stream: match[2] === 'converse-stream' };
}

/**
 * Reads a Bedrock Converse request: the model from the path, the Converse
 * body translated to the Messages body every platform takes (the model's
 * maximum output when `maxTokens` is absent, as Bedrock does), and the
 * answer written back in Converse's shapes.
 */
export function readConverseCall(
  exchange: Exchange,
  catalog: Catalog,
  target: NonNullable<ReturnType<typeof converseTarget>>,
  rawBody: Buffer,
): IngressCall {
  checkModelName(target.modelId, 'The model id in the path');
  const request = rawBody.byteLength === 0 ? {} : parseJsonBody(rawBody);
  const resolved = catalog.resolve(target.modelId);
  const known = resolved.model;
  const translated = converseToMessages(request, {
    modelId: target.modelId,
    defaultMaxTokens: known?.maxOutputTokens,
  });
  checkMessagesShape(translated.body, 'messages');
  return {
    dialect: 'bedrock',
    resolved,
    operation: 'messages',
    requestedModel: target.modelId,
    call: { body: translated.body, stream: target.stream, betas: checkBetaNames(translated.betas) },
    rawBody,
    ...(resolved.bedrockScope ? { hint: `bedrock/${resolved.bedrockScope}` } : {}),
    ...sessionField(exchange.header('x-claude-code-session-id'), translated.body),
    answer: converseAnswer({
      responseFieldPaths: translated.responseFieldPaths,
      ...(translated.requestMetadata ? { requestMetadata: translated.requestMetadata } : {}),
    }),
  };
}

/**
 * CountTokens' `converse` input (`{"input": {"converse": {messages, system, toolConfig, additionalModelRequestFields}}}`)
 * as a Messages count-tokens body.
 */
export function converseCountTokensBody(input: unknown, modelId: string): Record<string, unknown> {
  const request = objectAt(input, 'input.converse');
  for (const key of Object.keys(request)) {
    if (!['messages', 'system', 'toolConfig', 'additionalModelRequestFields'].includes(key)) {
      throw converseInvalid(
        `Unknown field input.converse.${key}: a CountTokens converse input has the fields messages, system, toolConfig, additionalModelRequestFields.`,
      );
    }
  }
  const { body, betas } = converseToMessages(request, { modelId, defaultMaxTokens: 1 });
  delete body['max_tokens'];
  if (betas.length > 0) body['anthropic_beta'] = betas;
  return body;
}
