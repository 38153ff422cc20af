import { addMember, checkNewGroups, noSuchGroup, noSuchUser, removeMember } from '../identity/membership.js';
import type {
  GroupChanges,
  NewGroup,
  NewServiceToken,
  NewUser,
  ServiceTokenRecord,
  UserChanges,
  UserRecord,
} from '../store/identity-types.js';
import { parseExpiry } from '../store/key-times.js';
import { StoreError } from '../store/store-error.js';
import { adminError, adminStore, answer, json, readObject } from './admin-http.js';
import type { AdminStore } from './admin-store.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** A service token as the admin API shows it: never the hash. */
export function publicToken(record: ServiceTokenRecord): Omit<ServiceTokenRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}

/**
 * A key's body with `user` (an id, name, e-mail or subject) turned into the
 * `userId` the store keeps; `"user": null` takes the key back (updates only).
 * An unknown user is a 404, a disabled one a 400: a key for them would be refused.
 */
export async function keyOwner<Input extends { user?: unknown; userId?: unknown }>(
  store: AdminStore,
  input: Input,
): Promise<Omit<Input, 'user'>> {
  if (!('user' in input) || input.user === undefined) return input;
  const { user: reference, ...rest } = input;
  if (reference === null) return { ...rest, userId: null };
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw new StoreError(
      'The key\'s "user" must be a user\'s id, name or e-mail, like "alice@example.com".',
      'INVALID_KEY_INPUT',
    );
  }
  const user = await store.identity.findUser(reference.trim());
  if (!user) throw noSuchUser(reference.trim());
  if (user.disabledAt !== undefined) {
    throw new StoreError(
      `User ${user.name} is disabled: a key for them would be refused. Enable them first (PATCH /admin/users/${user.id} {"disabled": false}).`,
      'INVALID_KEY_INPUT',
    );
  }
  return { ...rest, userId: user.id };
}

function membersOf(users: readonly UserRecord[], group: string): { id: string; name: string }[] {
  return users
    .filter((user) => user.groups.includes(group))
    .map((user) => ({ id: user.id, name: user.name }));
}

/** The one body field a membership change takes. */
function memberReference(input: Record<string, unknown>): string {
  const unknown = Object.keys(input).find((field) => field !== 'user');
  if (unknown !== undefined) {
    throw new StoreError(
      `Cannot add the member: unknown field "${unknown}"; the only field is "user" (an id, name or e-mail).`,
      'INVALID_IDENTITY_INPUT',
    );
  }
  if (typeof input.user !== 'string' || input.user.trim() === '') {
    throw new StoreError(
      'Cannot add the member: give the user as {"user": "alice@example.com"} (an id, name or e-mail).',
      'INVALID_IDENTITY_INPUT',
    );
  }
  return input.user.trim();
}

/**
 * `GET/POST /admin/users`, `GET/PATCH/DELETE /admin/users/{id|name|email}`
 * (DELETE disables a user that keys, sign-ins or log rows name);
 * `GET/POST /admin/groups`, `GET/PATCH/DELETE /admin/groups/{name}`,
 * `POST /admin/groups/{name}/members {"user"}`, `DELETE /admin/groups/{name}/members/{user}`;
 * `GET/POST /admin/tokens` (the secret shown once), `DELETE /admin/tokens/{id|name|prefix}`.
 * Every change empties this gateway's identity cache at once, and other
 * replicas' through the store's notifications.
 */
export async function handleIdentityAdmin(
  context: GatewayContext,
  exchange: Exchange,
  segments: string[],
): Promise<void> {
  const store = adminStore(context).identity;
  const { method } = exchange;
  const [kind, reference, sub, subReference] = segments;
  const changed = () => context.callers.invalidate();
  const now = () => context.clock();

  if (kind === 'users') {
    if (segments.length === 1 && method === 'GET') {
      const users = await store.listUsers();
      return answer(context, exchange, { users }, users);
    }
    if (segments.length === 1 && method === 'POST') {
      const input = await readObject(
        exchange,
        '{"name": "alice", "email": "alice@example.com", "groups": ["eng"]}',
      );
      if (!input) return;
      await checkNewGroups(store, input.groups);
      const user = await store.createUser(input as unknown as NewUser, now());
      changed();
      return json(exchange, 201, { user });
    }
    if (segments.length === 2 && reference) {
      if (method === 'GET') {
        const user = await store.findUser(reference);
        if (!user) throw noSuchUser(reference);
        return answer(context, exchange, { user }, user);
      }
      if (method === 'PATCH') {
        const input = await readObject(exchange, '{"policy": {"dailyBudgetUsd": 10}}');
        if (!input) return;
        const current = await store.findUser(reference);
        if (!current) throw noSuchUser(reference);
        await checkNewGroups(store, input.groups, current.groups);
        const user = await store.updateUser(current.id, input as UserChanges, now());
        changed();
        if (!user) throw noSuchUser(reference);
        return json(exchange, 200, { user });
      }
      if (method === 'DELETE') {
        const result = await store.deleteUser(reference, now());
        changed();
        if (!result) throw noSuchUser(reference);
        return json(exchange, 200, {
          ...result,
          ...(result.deleted
            ? {}
            : {
                note: `${result.user.name} was disabled rather than deleted: their keys, sign-ins or log rows name them. Their sign-ins are ended and their keys refused.`,
              }),
        });
      }
    }
  }

  if (kind === 'groups') {
    if (segments.length === 1 && method === 'GET') {
      const [groups, users] = [await store.listGroups(), await store.listUsers()];
      return answer(
        context,
        exchange,
        { groups: groups.map((group) => ({ ...group, members: membersOf(users, group.name) })) },
        groups,
        users,
      );
    }
    if (segments.length === 1 && method === 'POST') {
      const input = await readObject(
        exchange,
        '{"name": "eng", "memberPolicy": {"allowedModels": ["sonnet"]}}',
      );
      if (!input) return;
      const group = await store.createGroup(input as unknown as NewGroup, now());
      changed();
      return json(exchange, 201, { group });
    }
    if (segments.length === 2 && reference) {
      if (method === 'GET') {
        const group = await store.findGroup(reference);
        if (!group)
          throw noSuchGroup(
            reference,
            (await store.listGroups()).map((each) => each.name),
          );
        const users = await store.listUsers();
        return answer(context, exchange, { group, members: membersOf(users, group.name) }, group, users);
      }
      if (method === 'PATCH') {
        const input = await readObject(exchange, '{"memberPolicy": {"dailyBudgetUsd": 10}}');
        if (!input) return;
        const group = await store.updateGroup(reference, input as GroupChanges);
        changed();
        if (!group)
          throw noSuchGroup(
            reference,
            (await store.listGroups()).map((each) => each.name),
          );
        return json(exchange, 200, { group });
      }
      if (method === 'DELETE') {
        // Its tokens would keep working with no group policy at all: they go first.
        const tokens = (await store.listServiceTokens()).filter((token) => token.group === reference);
        if (tokens.length > 0) {
          return adminError(
            exchange,
            409,
            `Group "${reference}" has active service tokens (${tokens.map((token) => token.name).join(', ')}); revoke them first (DELETE /admin/tokens/{name}).`,
          );
        }
        const group = await store.deleteGroup(reference);
        changed();
        if (!group)
          throw noSuchGroup(
            reference,
            (await store.listGroups()).map((each) => each.name),
          );
        return json(exchange, 200, { group });
      }
    }
    if (reference && sub === 'members') {
      if (segments.length === 3 && method === 'POST') {
        const input = await readObject(exchange, '{"user": "alice@example.com"}');
        if (!input) return;
        const { user, changed: added } = await addMember(store, reference, memberReference(input), now());
        if (added) changed();
        return json(exchange, 200, { group: reference, user, added });
      }
      if (segments.length === 4 && subReference && method === 'DELETE') {
        const user = await removeMember(store, reference, subReference, now());
        changed();
        return json(exchange, 200, { group: reference, user });
      }
    }
  }

  if (kind === 'tokens') {
    if (segments.length === 1 && method === 'GET') {
      const tokens = await store.listServiceTokens({ includeRevoked: exchange.query.get('all') === 'true' });
      return answer(context, exchange, { tokens: tokens.map(publicToken) }, tokens);
    }
    if (segments.length === 1 && method === 'POST') {
      const input = await readObject(exchange, '{"name": "ci", "group": "eng", "expiresAt": "90d"}');
      if (!input) return;
      const at = now();
      const withExpiry =
        input.expiresAt === undefined || input.expiresAt === null
          ? input
          : { ...input, expiresAt: parseExpiry(input.expiresAt, at) };
      const { record, secret } = await store.createServiceToken(withExpiry as unknown as NewServiceToken, at);
      changed();
      return json(exchange, 201, { token: publicToken(record), secret });
    }
    if (segments.length === 2 && reference && method === 'DELETE') {
      const token = await store.revokeServiceToken(reference, now());
      changed();
      if (!token) {
        return adminError(
          exchange,
          404,
          `No active service token matches "${reference}" (by id, name or prefix); see GET /admin/tokens?all=true.`,
        );
      }
      return json(exchange, 200, { token: publicToken(token) });
    }
  }
  return adminError(exchange, 404, `The admin API has no ${method} ${exchange.path}.`);
}
