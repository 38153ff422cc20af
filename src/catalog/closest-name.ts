import { listModels } from './resolve.js';

/** Levenshtein distance: edits (insert, delete, replace) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The candidate nearest to `input`, when it is near enough to be a slip
 * (at most `maxDistance` edits).
 *
 * @example
 * closestName('regoin', ['region', 'endpoint'], 3); // 'region'
 */
export function closestName(
  input: string,
  candidates: readonly string[],
  maxDistance: number,
): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(input, name);
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The numbers in a name, in order: `claude-opus-4-1` → `4.1`. */
function versionOf(name: string): string {
  return (name.match(/\d+/g) ?? []).join('.');
}

/**
 * The catalog name a mistyped model name was probably meant to be: compared
 * with every canonical name, alias and first-party id with the same numbers,
 * also with `claude-` put in front (`opus-4-1` → `claude-opus-4-1`). Other
 * numbers mean another model, maybe one newer than the catalog
 * (`claude-opus-4-6`), never a slip.
 */
export function closestModelName(input: string): string | undefined {
  const lower = input.toLowerCase();
  const version = versionOf(lower);
  const candidates = listModels()
    .flatMap((model) => [model.name, ...model.aliases, model.anthropicId, ...model.firstPartyAliases])
    .filter((name) => versionOf(name) === version);
  const maxDistance = Math.max(2, Math.floor(lower.length / 6));
  return (
    closestName(lower, candidates, maxDistance) ??
    (lower.startsWith('claude-') ? undefined : closestName(`claude-${lower}`, candidates, maxDistance))
  );
}
