import type { GatewayConfig } from '../../config/schema.js';

/**
 * A way to sign in to the dashboard, as the login page offers it:
 * `admin-key` is a form that posts the key to `/ui/api/login`; `redirect` is a
 * link to a sign-in elsewhere (OIDC) whose callback starts the session with
 * `startUiSession`.
 */
export type SignInMethod =
  | { kind: 'admin-key' }
  | { kind: 'redirect'; id: string; label: string; url: string };

/**
 * The sign-ins this gateway offers. The admin key today; an OIDC sign-in
 * (admin groups) adds a `redirect` method here and a callback route that
 * calls `startUiSession` with `via: 'oidc'`.
 */
export function signInMethods(config: GatewayConfig): SignInMethod[] {
  return config.server.adminKey ? [{ kind: 'admin-key' }] : [];
}
