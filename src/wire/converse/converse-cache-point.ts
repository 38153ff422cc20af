/**
 * Converse's `cachePoint` marks the end of a cached prefix: the block (system
 * text, message content, tool) just before it. Claude marks that block itself
 * with `cache_control`, so the point becomes the previous block's
 * `cache_control: {type: "ephemeral", ttl?}`.
 */

import { converseInvalid, enumAt, objectAt, onlyKnownFields } from './converse-fields.js';

/** Claude's `cache_control` for a Converse `CachePointBlock`. */
export function cacheControlOf(value: unknown, path: string): Record<string, unknown> {
  const point = objectAt(value, path);
  onlyKnownFields(point, path, ['type', 'ttl'], 'a cache point');
  enumAt(point['type'], `${path}.type`, ['default'] as const);
  if (point['ttl'] === undefined) return { type: 'ephemeral' };
  return { type: 'ephemeral', ttl: enumAt(point['ttl'], `${path}.ttl`, ['5m', '1h'] as const) };
}

/** Puts a cache point on the last block translated so far, or says it has nothing to cache. */
export function attachCachePoint(blocks: Record<string, unknown>[], value: unknown, path: string): void {
  const previous = blocks.at(-1);
  if (!previous) {
    throw converseInvalid(
      `${path} comes first: a cache point ends the cached prefix, so it must follow the block it caches.`,
    );
  }
  previous['cache_control'] = cacheControlOf(value, path);
}
