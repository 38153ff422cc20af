import { closestName } from '../catalog/closest-name.js';
import type { IdentityStore, UserRecord } from '../store/identity-types.js';
import { StoreError } from '../store/store-error.js';

/** What membership changes need of the identity store (the admin API passes its outage-guarded one). */
export type MembershipStore = Pick<IdentityStore, 'findUser' | 'findGroup' | 'listGroups' | 'updateUser'>;

/** The 404 for a user reference that matches no one. */
export function noSuchUser(reference: string): StoreError {
  return new StoreError(
    `No user matches "${reference}" (by id, name, e-mail or subject); see claude-gateway users list or GET /admin/users.`,
    'NOT_FOUND',
  );
}

/** The 404 for a group name the gateway does not have. */
export function noSuchGroup(name: string, known: readonly string[] = []): StoreError {
  const near = closestName(name, known, 3);
  return new StoreError(
    `There is no group "${name}"${near ? `; did you mean "${near}"?` : ''} (create it with claude-gateway groups create ${name}, or POST /admin/groups).`,
    'NOT_FOUND',
  );
}

/**
 * Refuses groups an administrator adds to a user when the gateway has no such
 * group: a typo would otherwise give the user no group policy at all. Groups
 * the user already has pass (an IdP's groups need not exist here).
 */
export async function checkNewGroups(
  store: Pick<IdentityStore, 'listGroups'>,
  requested: unknown,
  current: readonly string[] = [],
): Promise<void> {
  if (!Array.isArray(requested)) return;
  const added = requested.filter(
    (group): group is string => typeof group === 'string' && !current.includes(group.trim()),
  );
  if (added.length === 0) return;
  const known = (await store.listGroups()).map((group) => group.name);
  const missing = added.find((group) => !known.includes(group.trim()));
  if (missing !== undefined) throw noSuchGroup(missing.trim(), known);
}

async function memberAndGroup(
  store: MembershipStore,
  groupName: string,
  userReference: string,
): Promise<UserRecord> {
  if (!(await store.findGroup(groupName))) {
    throw noSuchGroup(
      groupName,
      (await store.listGroups()).map((group) => group.name),
    );
  }
  const user = await store.findUser(userReference);
  if (!user) throw noSuchUser(userReference);
  return user;
}

/**
 * Adds a user to a group (last in their order: their first group stays the
 * one they are charged to). Already a member: unchanged.
 */
export async function addMember(
  store: MembershipStore,
  groupName: string,
  userReference: string,
  now: number,
): Promise<{ user: UserRecord; changed: boolean }> {
  const user = await memberAndGroup(store, groupName, userReference);
  if (user.groups.includes(groupName)) return { user, changed: false };
  const updated = await store.updateUser(user.id, { groups: [...user.groups, groupName] }, now);
  if (!updated) throw noSuchUser(userReference);
  return { user: updated, changed: true };
}

/** Takes a user out of a group; a user who is not in it is a 404 saying so. */
export async function removeMember(
  store: MembershipStore,
  groupName: string,
  userReference: string,
  now: number,
): Promise<UserRecord> {
  const user = await store.findUser(userReference);
  if (!user) throw noSuchUser(userReference);
  if (!user.groups.includes(groupName)) {
    throw new StoreError(
      `${user.name} is not in group "${groupName}"; their groups are ${user.groups.join(', ') || 'none'}.`,
      'NOT_FOUND',
    );
  }
  const updated = await store.updateUser(
    user.id,
    { groups: user.groups.filter((group) => group !== groupName) },
    now,
  );
  if (!updated) throw noSuchUser(userReference);
  return updated;
}
