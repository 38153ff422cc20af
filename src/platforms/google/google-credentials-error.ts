import { GatewayError } from '../../wire/errors/index.js';

/** What was being obtained when Google auth failed. */
export type GoogleCredentialsStep = 'token' | 'project';

const LOGIN_HINT = 'run `gcloud auth application-default login`';
const ADC_HINT =
  `${LOGIN_HINT}, set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, ` +
  'or run on Google Cloud with a service account attached';
const PROJECT_HINT =
  'set `projectId` for the vertex platform or the ANTHROPIC_VERTEX_PROJECT_ID environment variable ' +
  '(GOOGLE_CLOUD_PROJECT and `gcloud config set project` work too)';

/**
 * A failure of google-auth-library (or a missing project) as the gateway's
 * PLATFORM_CREDENTIALS_UNAVAILABLE error, whose message keeps the library's
 * own words and says how to fix it. Configuration problems (no credentials,
 * an unreadable GOOGLE_APPLICATION_CREDENTIALS file, refused credentials, no
 * project) are not retryable; a token endpoint that could not be reached is.
 *
 * @example
 * googleCredentialsError(new Error('Could not load the default credentials. …'), 'token').message;
 * // 'The gateway has no usable credentials for Vertex AI: no Application Default Credentials were found (…); run `gcloud auth application-default login`, …'
 */
export function googleCredentialsError(error: unknown, step: GoogleCredentialsStep): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  const { reason, retryable } = explain(message, step);
  return GatewayError.fromCode(
    'PLATFORM_CREDENTIALS_UNAVAILABLE',
    { platform: 'Vertex AI', reason },
    { platform: 'vertex', cause: error, retryable },
  );
}

function explain(message: string, step: GoogleCredentialsStep): { reason: string; retryable: boolean } {
  if (step === 'project') {
    return {
      reason: `no Google Cloud project is configured (${message}); ${PROJECT_HINT}`,
      retryable: false,
    };
  }
  if (/GOOGLE_APPLICATION_CREDENTIALS/.test(message)) {
    return {
      reason:
        `the file GOOGLE_APPLICATION_CREDENTIALS names cannot be used (${message}); point it at a readable ` +
        `credentials JSON file, or unset it and ${LOGIN_HINT}`,
      retryable: false,
    };
  }
  if (/Could not load the default credentials|Unable to find credentials/i.test(message)) {
    return {
      reason: `no Application Default Credentials were found (${message}); ${ADC_HINT}`,
      retryable: false,
    };
  }
  if (/invalid_grant|invalid_client|unauthorized_client|invalid_rapt|reauth/i.test(message)) {
    return {
      reason:
        `Google refused the credentials (${message}); ${LOGIN_HINT} again, or check that the ` +
        'service-account key has not been deleted or disabled',
      retryable: false,
    };
  }
  if (/does not contain|must pass|invalid.*json|Unexpected token|not valid JSON/i.test(message)) {
    return { reason: `the Google credentials are not valid (${message}); ${ADC_HINT}`, retryable: false };
  }
  return {
    reason:
      `could not get a Google access token (${message}); check the network path to Google's token ` +
      `endpoint or the metadata server, or ${LOGIN_HINT}`,
    retryable: true,
  };
}
