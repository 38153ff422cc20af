import { closestName } from '../catalog/closest-name.js';
import type {
  GroupChanges,
  MemberPolicy,
  NewGroup,
  NewServiceToken,
  NewUser,
  PolicyChanges,
  UserChanges,
} from './identity-types.js';
import { StoreError } from './store-error.js';
import { RESIDENCIES } from './types.js';

/** The fields of a member policy, in the order listings show them. */
export const POLICY_FIELDS = [
  'allowedModels',
  'residency',
  'dailyBudgetUsd',
  'monthlyBudgetUsd',
  'requestsPerMinute',
  'tokensPerMinute',
] as const satisfies readonly (keyof MemberPolicy)[];

function invalid(what: string, message: string): StoreError {
  return new StoreError(
    `Cannot ${what}: ${message}${message.endsWith('?') ? '' : '.'}`,
    'INVALID_IDENTITY_INPUT',
  );
}

/** Refuses a field that is not one of `fields`, suggesting the one meant: a misspelt limit must not be dropped silently. */
export function checkFields(input: object, fields: readonly string[], what: string): void {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid(what, 'the input must be a JSON object');
  }
  for (const field of Object.keys(input)) {
    if (fields.includes(field)) continue;
    const near = closestName(field, fields, 3);
    throw invalid(
      what,
      `unknown field "${field}"${near ? `; did you mean "${near}"?` : `; the fields are ${fields.join(', ')}`}`,
    );
  }
}

/** A display name or group name: non-empty text without control characters, at most 200 characters. */
export function checkName(value: unknown, field: string, what: string): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid(what, `${field} must be non-empty text of at most 200 characters`);
  }
  return name;
}

function checkBudget(value: unknown, field: string, what: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw invalid(what, `${field} must be a number of 0 or more; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A policy as given (a new one, or changes with `null` removing a rule), checked field by field.
 *
 * @example
 * checkPolicy({ allowedModels: ['sonnet'], dailyBudgetUsd: 5 }, 'create the group') // same, checked
 */
export function checkPolicy(input: unknown, what: string): PolicyChanges {
  if (input === undefined) return {};
  checkFields(input as object, POLICY_FIELDS, what);
  const policy = input as PolicyChanges;
  const checked: PolicyChanges = {};
  for (const field of POLICY_FIELDS) {
    const value = policy[field];
    if (value === undefined) continue;
    if (value === null) {
      checked[field] = null;
      continue;
    }
    switch (field) {
      case 'allowedModels':
        if (
          !Array.isArray(value) ||
          value.some((model) => typeof model !== 'string' || model.trim() === '')
        ) {
          throw invalid(what, 'allowedModels must be a list of model names');
        }
        checked.allowedModels = (value as string[]).map((model) => model.trim());
        break;
      case 'residency':
        if (!RESIDENCIES.includes(value as never)) {
          throw invalid(what, `residency must be one of ${RESIDENCIES.join(', ')}; got ${String(value)}`);
        }
        checked.residency = value as MemberPolicy['residency'];
        break;
      case 'requestsPerMinute':
      case 'tokensPerMinute':
        if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
          throw invalid(what, `${field} must be a whole number of 0 or more; got ${JSON.stringify(value)}`);
        }
        checked[field] = value;
        break;
      default:
        checked[field] = checkBudget(value, field, what);
    }
  }
  return checked;
}

/** A policy with changes applied: `null` removes a rule. */
export function applyPolicy(current: MemberPolicy, changes: PolicyChanges): MemberPolicy {
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as MemberPolicy;
}

function checkGroups(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw invalid(what, 'groups must be a list of group names');
  return [...new Set(value.map((group) => checkName(group, 'each group name', what)))];
}

function checkEmail(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(value.trim())) {
    throw invalid(what, `email must look like name@example.com; got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

export function checkNewUser(input: NewUser): Required<Pick<NewUser, 'name' | 'groups'>> & NewUser {
  const what = 'create the user';
  checkFields(input, ['name', 'email', 'groups', 'policy'], what);
  return {
    name: checkName(input.name, 'name', what),
    ...(input.email !== undefined ? { email: checkEmail(input.email, what) } : {}),
    groups: input.groups === undefined ? [] : checkGroups(input.groups, what),
    policy: applyPolicy({}, checkPolicy(input.policy, what)),
  };
}

export function checkUserChanges(changes: UserChanges): UserChanges {
  const what = 'update the user';
  checkFields(changes, ['name', 'email', 'groups', 'policy', 'disabled'], what);
  if (Object.keys(changes).length === 0) {
    throw invalid(what, 'nothing to change; give one or more of name, email, groups, policy, disabled');
  }
  const checked: UserChanges = {};
  if (changes.name !== undefined) checked.name = checkName(changes.name, 'name', what);
  if (changes.email !== undefined)
    checked.email = changes.email === null ? null : checkEmail(changes.email, what);
  if (changes.groups !== undefined) checked.groups = checkGroups(changes.groups, what);
  if (changes.policy !== undefined) checked.policy = checkPolicy(changes.policy, what);
  if (changes.disabled !== undefined) {
    if (typeof changes.disabled !== 'boolean') throw invalid(what, 'disabled must be true or false');
    checked.disabled = changes.disabled;
  }
  return checked;
}

const GROUP_FIELDS = ['name', 'description', 'memberPolicy', 'dailyBudgetUsd', 'monthlyBudgetUsd'];

export function checkNewGroup(input: NewGroup): NewGroup & { memberPolicy: MemberPolicy } {
  const what = 'create the group';
  checkFields(input, GROUP_FIELDS, what);
  return {
    name: checkName(input.name, 'name', what),
    ...(input.description !== undefined ? { description: String(input.description) } : {}),
    memberPolicy: applyPolicy({}, checkPolicy(input.memberPolicy, what)),
    ...(input.dailyBudgetUsd !== undefined
      ? { dailyBudgetUsd: checkBudget(input.dailyBudgetUsd, 'dailyBudgetUsd', what) }
      : {}),
    ...(input.monthlyBudgetUsd !== undefined
      ? { monthlyBudgetUsd: checkBudget(input.monthlyBudgetUsd, 'monthlyBudgetUsd', what) }
      : {}),
  };
}

export function checkGroupChanges(changes: GroupChanges): GroupChanges {
  const what = 'update the group';
  checkFields(changes, GROUP_FIELDS.slice(1), what);
  if (Object.keys(changes).length === 0) {
    throw invalid(what, `nothing to change; give one or more of ${GROUP_FIELDS.slice(1).join(', ')}`);
  }
  const checked: GroupChanges = {};
  if (changes.description !== undefined)
    checked.description = changes.description === null ? null : String(changes.description);
  if (changes.memberPolicy !== undefined) checked.memberPolicy = checkPolicy(changes.memberPolicy, what);
  for (const field of ['dailyBudgetUsd', 'monthlyBudgetUsd'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    checked[field] = value === null ? null : checkBudget(value, field, what);
  }
  return checked;
}

export function checkNewServiceToken(input: NewServiceToken, now: number): NewServiceToken {
  const what = 'create the service token';
  checkFields(input, ['name', 'group', 'expiresAt', 'description'], what);
  const expiresAt = input.expiresAt;
  if (!(typeof expiresAt === 'number' && Number.isFinite(expiresAt))) {
    throw invalid(what, 'a service token needs an expiry (expiresAt: 30d, 2027-01-31 or an ISO time)');
  }
  if (expiresAt <= now) {
    throw invalid(what, `expiresAt ${new Date(expiresAt).toISOString()} is not in the future`);
  }
  return {
    name: checkName(input.name, 'name', what),
    group: checkName(input.group, 'group', what),
    expiresAt,
    ...(input.description !== undefined ? { description: String(input.description) } : {}),
  };
}
