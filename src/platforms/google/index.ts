export { type GoogleCredentialsStep, googleCredentialsError } from './google-credentials-error.js';
export {
  GOOGLE_TOKEN_ENDPOINTS,
  isGoogleTokenEndpoint,
  redirectGoogleTokenRequests,
} from './google-token-redirect.js';
export {
  createGoogleTokenSource,
  GOOGLE_CLOUD_PLATFORM_SCOPE,
  type GoogleCredentialsDescription,
  type GoogleCredentialType,
  type GoogleRequestHeaders,
  type GoogleTokenSource,
  type GoogleTokenSourceOptions,
} from './google-token-source.js';
export { type GoogleCredentialsReport, verifyGoogleCredentials } from './verify-google-credentials.js';
