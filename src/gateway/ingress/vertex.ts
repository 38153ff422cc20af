import { decodePathSegment } from '../../net/decode-path-segment.js';
import { mergeBetas } from '../../platforms/betas.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type IngressCall, sessionField } from '../dialect.js';
import type { Exchange } from '../exchange.js';
import { checkBetaNames, checkMessagesShape, checkModelName, parseJsonBody } from './body.js';

// Claude Code's Vertex mode posts to `{base}/projects/…` without adding `/v1`; accept both.
const VERTEX_PATH =
  /^(?:\/v1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

/** A Vertex path: project, location, model (or `count-tokens`) and method. */
export function vertexTarget(
  method: string,
  path: string,
):
  | { project: string; location: string; model: string; method: 'rawPredict' | 'streamRawPredict' }
  | undefined {
  if (method !== 'POST') return undefined;
  const match = VERTEX_PATH.exec(path);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  return {
    project: decodePathSegment(match[1]),
    location: decodePathSegment(match[2]),
    model: decodePathSegment(match[3]),
    method: match[4] as 'rawPredict' | 'streamRawPredict',
  };
}

/**
 * Reads a Vertex rawPredict request: the model from the path (or, for
 * `count-tokens:rawPredict`, from the body), `anthropic_version` from the
 * body, betas from the `anthropic-beta` header, streaming from the method.
 */
export function readVertexCall(
  exchange: Exchange,
  target: NonNullable<ReturnType<typeof vertexTarget>>,
  rawBody: Buffer,
): IngressCall {
  const body = parseJsonBody(rawBody);
  const countTokens = target.model === 'count-tokens';
  const model = countTokens ? body['model'] : target.model;
  if (typeof model !== 'string' || model === '') {
    throw countTokens
      ? GatewayError.fromCode('INVALID_REQUEST', {
          reason: 'count-tokens:rawPredict needs `model` in the body, e.g. "claude-sonnet-4-5@20250929"',
        })
      : GatewayError.fromCode('MISSING_MODEL');
  }
  checkModelName(model, countTokens ? '`model`' : 'The model in the path');
  const operation = countTokens ? 'count_tokens' : 'messages';
  checkMessagesShape(body, operation);
  const version = body['anthropic_version'];
  return {
    dialect: 'vertex',
    operation,
    requestedModel: model,
    call: {
      body,
      stream: operation === 'messages' && target.method === 'streamRawPredict',
      betas: checkBetaNames(
        mergeBetas(exchange.header('anthropic-beta'), body['anthropic_beta'] as unknown[] | undefined),
      ),
      ...(typeof version === 'string' ? { anthropicVersion: version } : {}),
    },
    rawBody,
    hint: `vertex/${target.location}`,
    ...sessionField(exchange.header('x-claude-code-session-id'), body),
  };
}
