import type { EmulatorCredentials } from './emulator-credentials.js';

/** A user credential the token endpoint accepts with grant `refresh_token`. */
export interface AuthorizedUser {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  email: string;
  scopes: string[];
}

/** An Application Default Credentials file of type `authorized_user`, as `gcloud auth application-default login` writes it. */
export interface AuthorizedUserJson {
  account: string;
  client_id: string;
  client_secret: string;
  quota_project_id?: string;
  refresh_token: string;
  type: 'authorized_user';
  universe_domain: string;
}

/** The scopes gcloud asks for on `gcloud auth application-default login`. */
export const gcloudDefaultScopes: readonly string[] = Object.freeze([
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/sqlservice.login',
]);

/**
 * The emulator's own user credential.
 *
 * @example
 * emulatorAuthorizedUser(resolveEmulatorCredentials()).refreshToken; // '1//emulator-refresh-token'
 */
export function emulatorAuthorizedUser(credentials: EmulatorCredentials): AuthorizedUser {
  return {
    clientId: credentials.googleClientId,
    clientSecret: credentials.googleClientSecret,
    refreshToken: credentials.googleRefreshToken,
    email: credentials.googleUserEmail,
    scopes: [...gcloudDefaultScopes],
  };
}

/**
 * The ADC file for a user credential, to hand to `GoogleAuth({ credentials })` or to write where
 * `GOOGLE_APPLICATION_CREDENTIALS` points.
 *
 * @example
 * authorizedUserJson(emulatorAuthorizedUser(credentials), 'emulator-project').type; // 'authorized_user'
 */
export function authorizedUserJson(user: AuthorizedUser, quotaProjectId?: string): AuthorizedUserJson {
  return {
    account: '',
    client_id: user.clientId,
    client_secret: user.clientSecret,
    ...(quotaProjectId === undefined ? {} : { quota_project_id: quotaProjectId }),
    refresh_token: user.refreshToken,
    type: 'authorized_user',
    universe_domain: 'googleapis.com',
  };
}
