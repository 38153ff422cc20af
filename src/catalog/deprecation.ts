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
  return noticeForDay(model, dayOf(now.getTime()));
}

let cachedDay: { start: number; end: number; day: string } | undefined;

/** The ISO day of a time, formatting a date only when the day changes (the gateway asks per request). */
function dayOf(time: number): string {
  if (cachedDay && time >= cachedDay.start && time < cachedDay.end) return cachedDay.day;
  const start = time - (time % 86_400_000);
  cachedDay = { start, end: start + 86_400_000, day: new Date(start).toISOString().slice(0, 10) };
  return cachedDay.day;
}

const notices = new Map<string, string | undefined>();

/** The notice for a model on a day, computed once per model and day (the gateway asks on every request). */
function noticeForDay(model: ModelEntry, today: string): string | undefined {
  const key = `${model.name}@${today}`;
  if (notices.has(key)) return notices.get(key);
  if (notices.size > 1_000) notices.clear();
  const notice = computeNotice(model, today);
  notices.set(key, notice);
  return notice;
}

function computeNotice(model: ModelEntry, today: string): string | undefined {
  if (model.retires && model.retires <= today) {
    return `${model.displayName} (${model.name}) retired on ${model.retires}; platforms may reject it. Move to a current model.`;
  }
  if (model.deprecated && model.deprecated <= today) {
    const retirement = model.retires ? ` and retires on ${model.retires}` : '';
    return `${model.displayName} (${model.name}) is deprecated (since ${model.deprecated})${retirement}. Move to a current model.`;
  }
  return undefined;
}
