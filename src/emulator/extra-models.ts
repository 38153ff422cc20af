import { resolveModel } from '../catalog/resolve.js';

function matches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const expression = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return expression.test(name);
}

/**
 * Whether the emulator serves a model the catalog does not know: the
 * configured extras, as names or globs (`claude-*`), matched against the name
 * as sent and its first-party form (`us.anthropic.claude-opus-4-8-v1` → `claude-opus-4-8`).
 */
export function isExtraModel(extraModels: readonly string[], name: string): boolean {
  if (extraModels.length === 0) return false;
  const firstParty = resolveModel(name).ids.anthropic;
  return extraModels.some((pattern) => matches(pattern, name) || matches(pattern, firstParty));
}
