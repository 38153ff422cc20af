import type { AwsAuthFailure } from './aws-auth-failure.js';
import { isBearerAuthorization, verifyBedrockApiKey } from './bedrock-api-key.js';
import { normalizeHeaders, type SignedRequest } from './signed-request.js';
import { type SigV4Success, type SigV4VerifyOptions, verifySigV4 } from './sigv4.js';

export interface BedrockAuthOptions extends Omit<SigV4VerifyOptions, 'service'> {
  /** Accepted Bedrock API keys (`Authorization: Bearer …`). */
  apiKeys: Iterable<string>;
}

/** Who a Bedrock request came from: a SigV4 signer or a Bedrock API key holder. */
export type BedrockCaller =
  | ({ method: 'sigv4' } & SigV4Success)
  | { ok: true; method: 'api-key'; apiKey: string };

/**
 * Checks a Bedrock runtime or control-plane request the way Bedrock does: a bearer token is a Bedrock API
 * key, anything else must be a SigV4 signature with signing name `bedrock`.
 *
 * @example
 * const caller = await verifyBedrockRequest(await signedRequestFromWebRequest(request), {
 *   lookupCredential, apiKeys: ['emulator-bedrock-key'],
 * });
 * if (!caller.ok) return awsJsonAuthErrorResponse(caller);
 */
export async function verifyBedrockRequest(
  request: SignedRequest,
  options: BedrockAuthOptions,
): Promise<BedrockCaller | AwsAuthFailure> {
  const authorization = normalizeHeaders(request.headers).get('authorization');
  if (isBearerAuthorization(authorization)) {
    const result = verifyBedrockApiKey(authorization, options.apiKeys);
    return result.ok ? { ok: true, method: 'api-key', apiKey: result.apiKey } : result;
  }
  const result = await verifySigV4(request, { ...options, service: 'bedrock' });
  return result.ok ? { method: 'sigv4', ...result } : result;
}
