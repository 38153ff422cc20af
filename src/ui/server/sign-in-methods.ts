import type { GatewayConfig } from '../../config/schema.js';

/**
 * A way to sign in to the dashboard, as the login page offers it:
 * `admin-key` is a form that posts the key to `/ui/api/login`; `redirect` is a
 * link to a sign-in elsewhere (OIDC) whose callback starts the session.
 */
export type SignInMethod =
  | { kind: 'admin-key' }
  | { kind: 'redirect'; id: string; label: string; url: string };

/** Where the dashboard's OIDC sign-in starts (it redirects to the identity provider). */
export const OIDC_START_PATH = '/ui/auth/oidc';
/** Where the identity provider sends the browser back (`auth.oidc.dashboardRedirectUri`'s path). */
export const OIDC_CALLBACK_PATH = '/ui/auth/callback';

/**
 * The sign-ins this gateway offers: the admin key (`server.adminKey`), and
 * the identity provider for members of `auth.oidc.adminGroups`.
 */
export function signInMethods(config: GatewayConfig): SignInMethod[] {
  const oidc = config.auth.oidc;
  return [
    ...(config.server.adminKey ? [{ kind: 'admin-key' as const }] : []),
    ...(oidc && oidc.adminGroups.length > 0
      ? [
          {
            kind: 'redirect' as const,
            id: 'oidc',
            label: `Sign in with ${oidc.dashboardLabel ?? new URL(oidc.issuer).host}`,
            url: OIDC_START_PATH,
          },
        ]
      : []),
  ];
}
