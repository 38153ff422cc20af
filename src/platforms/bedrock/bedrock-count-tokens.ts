import { z } from 'zod';
import { GatewayError } from '../../wire/errors/gateway-error.js';

const countTokensAnswerSchema = z.object({ inputTokens: z.number().int().nonnegative().nullish() });

/**
 * The CountTokens request body: the InvokeModel JSON body, base64-encoded.
 *
 * @example
 * bedrockCountTokensBody('{"anthropic_version":"bedrock-2023-05-31","max_tokens":1,"messages":[]}');
 * // '{"input":{"invokeModel":{"body":"eyJhbnRocm9w…"}}}'
 */
export function bedrockCountTokensBody(invokeBody: string): string {
  return JSON.stringify({
    input: { invokeModel: { body: Buffer.from(invokeBody, 'utf8').toString('base64') } },
  });
}

/**
 * The input-token count of a CountTokens answer (`{"inputTokens":N}`).
 * Throws a GatewayError when the answer has none.
 *
 * @example
 * parseBedrockCountTokens({ inputTokens: 42 }); // 42
 */
export function parseBedrockCountTokens(body: unknown): number {
  const parsed = countTokensAnswerSchema.safeParse(body);
  const inputTokens = parsed.success ? parsed.data.inputTokens : undefined;
  if (inputTokens == null) {
    throw new GatewayError({
      status: 502,
      type: 'api_error',
      platform: 'bedrock',
      message: `Amazon Bedrock answered CountTokens without an inputTokens count: ${JSON.stringify(body)?.slice(0, 200)}`,
    });
  }
  return inputTokens;
}
