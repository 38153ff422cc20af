import { FixedTokenSource } from './fixed-token-source.js';
import { GOOGLE_CLOUD_PLATFORM_SCOPE, GoogleAuthTokenSource } from './google-auth-token-source.js';

export { GOOGLE_CLOUD_PLATFORM_SCOPE };

/** What kind of Google credentials are in use. */
export type GoogleCredentialType =
  | 'service_account'
  | 'authorized_user'
  | 'compute'
  | 'impersonated'
  | 'external_account'
  | 'access_token'
  | 'other';

/** The headers that authorize one Google API request. */
export interface GoogleRequestHeaders {
  authorization: string;
  /** The quota project, when one is known. */
  'x-goog-user-project'?: string;
}

export interface GoogleCredentialsDescription {
  type: GoogleCredentialType;
  /** The service account (or other identity) the credentials act as, when the library can tell without a network call. */
  principal?: string;
}

export interface GoogleTokenSourceOptions {
  /** The Google Cloud project; default `ANTHROPIC_VERTEX_PROJECT_ID`, then what the credentials or ADC say. */
  projectId?: string;
  /** Sent as `x-goog-user-project` (who is billed for quota); default the credentials' `quota_project_id`. */
  quotaProjectId?: string;
  /** Credentials JSON (an object, or its text): a service-account key, a gcloud user, an external account. */
  credentials?: Record<string, unknown> | string;
  /** Path of a credentials JSON file. */
  keyFile?: string;
  /** A fixed access token (or a function giving one): no Google credentials are loaded. */
  accessToken?: string | (() => string | Promise<string>);
  /**
   * Where token requests go instead of Google's token endpoint. Default: the
   * credentials' `token_uri` when it names another endpoint (the emulator's),
   * which google-auth-library itself ignores. The metadata server is moved
   * with the `GCE_METADATA_HOST` environment variable.
   */
  tokenUrl?: string;
  /** Default: `https://www.googleapis.com/auth/cloud-platform`. */
  scopes?: string | string[];
  /** The `fetch` token requests are made with (default: the global one when the token URL is moved). */
  fetch?: typeof fetch;
}

/**
 * Google OAuth for one set of credentials: access tokens (cached by
 * google-auth-library and refreshed 5 minutes before they expire, one
 * refresh at a time), the project and the quota project.
 */
export interface GoogleTokenSource {
  /** `authorization` and, when known, `x-goog-user-project`, for one request. */
  getRequestHeaders(): Promise<GoogleRequestHeaders>;
  getAccessToken(): Promise<string>;
  /** The project: option → `ANTHROPIC_VERTEX_PROJECT_ID` → the credentials → ADC's own search; resolved once. */
  getProjectId(): Promise<string>;
  describeCredentials(): Promise<GoogleCredentialsDescription>;
  /** The project when it is known without I/O (option, environment, or resolved before). */
  readonly knownProjectId: string | undefined;
}

/**
 * Creates the Google token source for Vertex AI: a fixed access token, or
 * google-auth-library's `GoogleAuth` over explicit credentials (JSON or a
 * file) or Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS
 * → gcloud's application_default_credentials.json → the metadata server).
 * Every failure is a GatewayError PLATFORM_CREDENTIALS_UNAVAILABLE that says
 * how to fix it.
 *
 * @example
 * const google = createGoogleTokenSource({ keyFile: '/secrets/vertex-sa.json' });
 * const headers = await google.getRequestHeaders(); // { authorization: 'Bearer ya29…', … }
 * const project = await google.getProjectId();
 */
export function createGoogleTokenSource(options: GoogleTokenSourceOptions = {}): GoogleTokenSource {
  const projectId = nonEmpty(options.projectId) ?? nonEmpty(process.env['ANTHROPIC_VERTEX_PROJECT_ID']);
  if (options.accessToken !== undefined) return new FixedTokenSource(options.accessToken, projectId, options);
  return new GoogleAuthTokenSource(options, projectId);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}
