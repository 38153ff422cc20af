import { type AwsAuthFailure, awsAuthFailure, awsAuthMessages } from './aws-auth-failure.js';

/** A Bedrock API key that checked out. */
export interface BedrockApiKeySuccess {
  ok: true;
  apiKey: string;
}

/**
 * Checks `Authorization: Bearer <key>` against the accepted Bedrock API keys (what `AWS_BEARER_TOKEN_BEDROCK`
 * holds; no SigV4 then). No bearer token answers `MissingAuthenticationTokenException`, an unknown key
 * `UnrecognizedClientException`, both 403 as Bedrock does.
 *
 * @example
 * verifyBedrockApiKey('Bearer emulator-bedrock-key', ['emulator-bedrock-key']); // { ok: true, apiKey: 'emulator-bedrock-key' }
 * verifyBedrockApiKey('Bearer other', ['emulator-bedrock-key']).ok; // false
 */
export function verifyBedrockApiKey(
  authorizationHeader: string | null | undefined,
  acceptedKeys: Iterable<string>,
): BedrockApiKeySuccess | AwsAuthFailure {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader?.trim() ?? '');
  const apiKey = match?.[1];
  if (apiKey === undefined) {
    return awsAuthFailure('MissingAuthenticationTokenException', awsAuthMessages.missingAuthenticationToken);
  }
  for (const accepted of acceptedKeys) {
    if (accepted === apiKey) return { ok: true, apiKey };
  }
  return awsAuthFailure('UnrecognizedClientException', awsAuthMessages.unrecognizedClient);
}

/**
 * Whether an `Authorization` header carries a bearer token rather than a SigV4 signature.
 *
 * @example
 * isBearerAuthorization('Bearer abc'); // true
 * isBearerAuthorization('AWS4-HMAC-SHA256 Credential=…'); // false
 */
export function isBearerAuthorization(authorizationHeader: string | null | undefined): boolean {
  return /^Bearer\s/i.test(authorizationHeader?.trim() ?? '');
}
