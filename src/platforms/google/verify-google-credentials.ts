import type { GoogleCredentialType, GoogleTokenSource } from './google-token-source.js';

/** What `doctor` and `Claude.verify()` report for Google credentials that work. */
export interface GoogleCredentialsReport {
  credentialType: GoogleCredentialType;
  /** The service account (or other identity) when the library can tell. */
  principal?: string;
  projectId: string;
  /** The `x-goog-user-project` sent, when there is one. */
  quotaProjectId?: string;
}

/**
 * Checks that Google credentials work, the way `gcloud auth
 * application-default print-access-token` would: gets an access token and
 * the project, and says who the credentials act as. Throws the
 * PLATFORM_CREDENTIALS_UNAVAILABLE GatewayError (with the fix) when they do not.
 *
 * @example
 * const report = await verifyGoogleCredentials(createGoogleTokenSource());
 * // { credentialType: 'service_account', principal: 'vertex@my-project.iam.gserviceaccount.com', projectId: 'my-project' }
 */
export async function verifyGoogleCredentials(source: GoogleTokenSource): Promise<GoogleCredentialsReport> {
  const headers = await source.getRequestHeaders();
  const projectId = await source.getProjectId();
  const description = await source.describeCredentials();
  const report: GoogleCredentialsReport = { credentialType: description.type, projectId };
  if (description.principal) report.principal = description.principal;
  const quotaProjectId = headers['x-goog-user-project'];
  if (quotaProjectId) report.quotaProjectId = quotaProjectId;
  return report;
}
