import { encodeBedrockChunk, encodeBedrockException } from '../../wire/bedrock-chunk.js';
import { renderBedrockError, renderBedrockStreamException } from '../../wire/errors/bedrock.js';
import { encodeEventStreamMessage } from '../../wire/eventstream.js';
import type { DialectEgress } from './types.js';

/**
 * Bedrock InvokeModel's clients (the AWS SDK, the Bedrock SDK, Claude Code's
 * Bedrock mode): AWS event-stream frames, `x-amzn-*` headers, errors named
 * by `x-amzn-errortype`.
 */
export const bedrockEgress: DialectEgress = {
  dialect: 'bedrock',
  framing: 'aws-eventstream',
  streamHeaders: {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-content-type': 'application/json',
  },
  idHeaders: (requestId) => ({ 'x-claude-gateway-request-id': requestId, 'x-amzn-requestid': requestId }),
  renderError(error, requestId, keyRefusal) {
    const rendered = renderBedrockError(error, { requestId });
    // Claude Code's Bedrock mode retries a 401 unless it says `x-should-retry: false` (its SDK reads it).
    return {
      ...rendered,
      ...(keyRefusal ? { status: 401 } : {}),
      headers: {
        ...rendered.headers,
        'x-amzn-requestid': requestId,
        ...(keyRefusal ? { 'x-should-retry': 'false' } : {}),
      },
    };
  },
  finalRefusal(rendered) {
    const headers = { ...rendered.headers, 'x-should-retry': 'false' };
    // Claude Code's Bedrock mode retries any 403 for minutes (it refreshes AWS credentials), header or not:
    // the same exception (x-amzn-errortype) with status 400, which no client retries, ends its run at once.
    return rendered.status === 403 ? { ...rendered, status: 400, headers } : { ...rendered, headers };
  },
  streamError(error) {
    const { exceptionType } = renderBedrockStreamException(error);
    return encodeEventStreamMessage(encodeBedrockException(exceptionType, error.message));
  },
  encodeEvent(type, json, metrics) {
    const options = type === 'message_stop' ? { invocationMetrics: metrics() } : {};
    return encodeEventStreamMessage(encodeBedrockChunk(json, options));
  },
  wholeAnswerHeaders: (usage, latencyMs) => ({
    'x-amzn-bedrock-invocation-latency': String(latencyMs),
    'x-amzn-bedrock-input-token-count': String(usage?.input_tokens ?? 0),
    'x-amzn-bedrock-output-token-count': String(usage?.output_tokens ?? 0),
    'x-amzn-bedrock-cache-read-input-token-count': String(usage?.cache_read_input_tokens ?? 0),
    'x-amzn-bedrock-cache-write-input-token-count': String(usage?.cache_creation_input_tokens ?? 0),
  }),
  countTokensBody: (inputTokens) => JSON.stringify({ inputTokens }),
};
