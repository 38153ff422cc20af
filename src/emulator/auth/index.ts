export {
  type AnthropicApiKeySuccess,
  type AnthropicAuthFailure,
  anthropicAuthErrorResponse,
  verifyAnthropicApiKey,
} from './anthropic-api-key.js';
export {
  type AwsAuthErrorType,
  type AwsAuthFailure,
  awsAuthFailure,
  awsAuthMessages,
  awsJsonAuthErrorResponse,
} from './aws-auth-failure.js';
export {
  type AwsCredentialInput,
  type AwsCredentialLookup,
  type AwsCredentialRecord,
  awsCredentialLookup,
  awsCredentialRecord,
  emulatorAwsCredential,
} from './aws-credentials.js';
export { type BedrockApiKeySuccess, isBearerAuthorization, verifyBedrockApiKey } from './bedrock-api-key.js';
export { type BedrockAuthOptions, type BedrockCaller, verifyBedrockRequest } from './bedrock-auth.js';
export { createEmulatorAuth, type EmulatorAuth, type EmulatorAuthOptions } from './emulator-auth.js';
export {
  defaultEmulatorCredentials,
  type EmulatorCredentials,
  resolveEmulatorCredentials,
} from './emulator-credentials.js';
export {
  type AuthorizedUser,
  type AuthorizedUserJson,
  authorizedUserJson,
  emulatorAuthorizedUser,
  gcloudDefaultScopes,
} from './google-authorized-user.js';
export { createIdTokenSigner, type IdTokenSigner } from './google-id-token.js';
export { type DecodedJwt, decodeJwt, signRs256Jwt, verifyRs256 } from './google-jwt.js';
export {
  handleMetadataRequest,
  type MetadataServerOptions,
  metadataBasePath,
} from './google-metadata-server.js';
export {
  createEmulatorServiceAccount,
  type EmulatorServiceAccount,
  type RegisteredKey,
  type ServiceAccountJson,
  ServiceAccountRegistry,
  serviceAccountJson,
} from './google-service-account.js';
export {
  type GoogleTokenEndpointOptions,
  handleGoogleTokenRequest,
  jwtBearerGrantType,
} from './google-token-endpoint.js';
export { createGoogleTokenRedirectFetch } from './google-token-redirect-fetch.js';
export {
  type GoogleAuthFailure,
  type GoogleBearerSuccess,
  type GooglePrincipal,
  GoogleTokenIssuer,
  type GoogleTokenIssuerOptions,
  googleAuthErrorResponse,
  googleAuthFailure,
  type IssuedGoogleToken,
} from './google-tokens.js';
export {
  normalizeHeaders,
  type RequestHeaders,
  type SignedRequest,
  signedRequestFromWebRequest,
} from './signed-request.js';
export { type SigV4Result, type SigV4Success, type SigV4VerifyOptions, verifySigV4 } from './sigv4.js';
export {
  formatAmzDate,
  parseAmzDate,
  parseCredentialScope,
  parseSigV4Authorization,
  type SigV4AuthorizationHeader,
  type SigV4CredentialScope,
} from './sigv4-authorization.js';
export { handleStsRequest, type StsOptions } from './sts.js';
export {
  type CallerIdentity,
  callerIdentityXml,
  type StsError,
  stsAuthError,
  stsErrorXml,
} from './sts-responses.js';
