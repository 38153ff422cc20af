import type { ModelEntry } from './types.js';

/**
 * A warning for a deprecated or retired model, or undefined when the model is current.
 *
 * @example
 * deprecationNotice(findModel('claude-3-5-haiku')!, new Date('2026-01-01'))
 * // 'Claude Haiku 3.5 is deprecated (since 2025-12-19) and retires on 2026-02-19; …'
 */
export function deprecationNotice(model: ModelEntry, now: Date = new Date()): string | undefined {
  if (!model.deprecated && !model.retires) return undefined;
  const today = now.toISOString().slice(0, 10);
  if (model.retires && model.retires <= today) {
    return `${model.displayName} (${model.name}) retired on ${model.retires}; platforms may reject it. Move to a current model.`;
  }
  if (model.deprecated && model.deprecated <= today) {
    const retirement = model.retires ? ` and retires on ${model.retires}` : '';
    return `${model.displayName} (${model.name}) is deprecated (since ${model.deprecated})${retirement}. Move to a current model.`;
  }
  return undefined;
}
