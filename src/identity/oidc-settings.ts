import { z } from 'zod';
import { parseDuration } from '../store/key-times.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A length of time written like `15m`, `1h` or `30d`, between two bounds, as ms. */
function duration(min: number, max: number, example: string) {
  return z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < min || ms > max) {
      context.addIssue({
        code: 'custom',
        message: `must be a length of time like ${example} (s, m, h, d or w), from ${min / MINUTE} minutes to ${max / DAY} days; got "${text}"`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/**
 * `auth.oidc`: sign-in through the organisation's identity provider, with the
 * gateway as the IdP's OAuth client (device authorization flow, RFC 8628).
 * Checked at start, with the IdP's discovery document.
 */
export const oidcSettingsSchema = z
  .object({
    /** The IdP's issuer URL; its `/.well-known/openid-configuration` is read at start. */
    issuer: z.string().url(),
    /** The gateway's client id at the IdP (a client allowed the device flow). */
    clientId: z.string().min(1),
    /** For a confidential client; public clients have none. */
    clientSecret: z.string().min(1).optional(),
    /** Scopes asked for at sign-in. */
    scopes: z.array(z.string().min(1)).min(1).default(['openid', 'email', 'profile']),
    /** The ID token claim that lists the user's groups (a dotted path for nested claims, e.g. `realm_access.roles`). */
    groupsClaim: z.string().min(1),
    /** Signed-in users in any of these groups may use the admin API with their gateway token, and sign in to the dashboard. */
    adminGroups: z.array(z.string().min(1)),
    /**
     * The dashboard's sign-in callback as registered at the IdP
     * (`https://gateway.example.com/ui/auth/callback`). Left out: the page's
     * own origin (Host, and X-Forwarded-Proto/-Host behind a proxy) plus
     * `/ui/auth/callback`.
     */
    dashboardRedirectUri: z
      .string()
      .url()
      .refine((value) => new URL(value).pathname === '/ui/auth/callback', {
        message: 'must end in /ui/auth/callback, the path the gateway answers the sign-in on',
      })
      .optional(),
    /** What the dashboard's sign-in button says after "Sign in with" (default: the issuer's host). */
    dashboardLabel: z.string().min(1).max(60).optional(),
    /** How long a gateway token lives; `claude-gateway token` gets a new one before it ends. */
    tokenTtl: duration(MINUTE, DAY, '1h').prefault('1h'),
    /** How long a sign-in lasts (its refresh token) before `claude-gateway login` is needed again. */
    refreshTokenTtl: duration(60 * MINUTE, 365 * DAY, '30d').prefault('30d'),
  })
  .strict();

export type OidcSettings = z.infer<typeof oidcSettingsSchema>;

/** The `auth` section. */
export const authSchema = z
  .object({
    oidc: oidcSettingsSchema.optional(),
  })
  .strict();
