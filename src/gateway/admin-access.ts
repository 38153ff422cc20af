import { timingSafeEqual } from 'node:crypto';
import { looksLikeJwt } from '../identity/gateway-tokens.js';
import { StoreError } from '../store/store-error.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { gatewayOf } from './callers.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** Who the admin API let in: the admin key, or a signed-in administrator (for the log). */
export type AdminCaller = { kind: 'admin-key' } | { kind: 'user'; id: string; name: string };

/** Why the admin API refuses: the status and the message that says what to do. */
export interface AdminRefusal {
  status: number;
  message: string;
  code?: string;
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refusal(status: number, message: string, code?: string): AdminRefusal {
  return { status, message, ...(code ? { code } : {}) };
}

/**
 * Decides who may use the admin API: `Authorization: Bearer <server.adminKey>`,
 * or a gateway token (`claude-gateway token`) of a signed-in user who is in
 * one of `auth.oidc.adminGroups`, as of their last sign-in. The API is on when
 * either is configured. Anyone else gets 401 (no credential, a wrong one) or
 * 403 naming the rule.
 *
 * @example
 * const access = await adminAccess(context, exchange);
 * if ('status' in access) return adminError(exchange, access.status, access.message);
 */
export async function adminAccess(
  context: GatewayContext,
  exchange: Exchange,
): Promise<AdminCaller | AdminRefusal> {
  const adminKey = context.config.server.adminKey;
  const oidc = context.config.auth.oidc;
  const adminGroups = oidc?.adminGroups ?? [];
  if (!adminKey && adminGroups.length === 0) {
    return refusal(
      404,
      'The admin API is off. Set server.adminKey (or auth.oidc.adminGroups, for signed-in administrators) in the configuration to turn it on.',
    );
  }
  const ways = [
    ...(adminKey ? ['the admin key as "Authorization: Bearer <server.adminKey>"'] : []),
    ...(adminGroups.length > 0
      ? [
          `as a member of ${adminGroups.join(', ')} (auth.oidc.adminGroups), your gateway token as "Authorization: Bearer $(claude-gateway token)"`,
        ]
      : []),
  ].join(', or ');
  const presented = /^Bearer\s+(\S+)$/i.exec(exchange.header('authorization') ?? '')?.[1];
  if (!presented) return refusal(401, `Send ${ways}.`);
  if (adminKey && sameSecret(presented, adminKey)) return { kind: 'admin-key' };
  const identities = context.callers.identities;
  if (!oidc || !identities || !looksLikeJwt(presented)) return refusal(401, `Send ${ways}.`);

  let userId: string;
  try {
    const caller = await identities.callerForGatewayToken(presented, gatewayOf(exchange));
    if (!caller.user) return refusal(401, `Send ${ways}.`);
    userId = caller.user.id;
  } catch (error) {
    if (error instanceof GatewayError) return refusal(error.status, error.message, error.code);
    if (error instanceof StoreError) {
      return refusal(
        503,
        'The gateway cannot check your sign-in right now: its store does not answer. Retry shortly.',
        'STORE_UNAVAILABLE',
      );
    }
    throw error;
  }
  const user = await identities.user(userId);
  if (!user) return refusal(401, `Send ${ways}.`);
  if (adminGroups.length === 0) {
    return refusal(
      403,
      `${user.name} is signed in, but no group may use the admin API with a gateway token: auth.oidc.adminGroups is empty. Use the admin key, or list an administrators' group there.`,
      'ADMIN_GROUP_REQUIRED',
    );
  }
  if (!user.groups.some((group) => adminGroups.includes(group))) {
    return refusal(
      403,
      `${user.name} may not use the admin API: it is open to members of ${adminGroups.join(', ')} (auth.oidc.adminGroups), and ${user.name}'s groups are ${user.groups.length > 0 ? user.groups.join(', ') : 'none'}. ` +
        'Groups come from the identity provider at sign-in: once it adds you to one of those, run claude-gateway login again.',
      'ADMIN_GROUP_REQUIRED',
    );
  }
  return { kind: 'user', id: user.id, name: user.name };
}
