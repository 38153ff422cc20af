import { isoDay } from '../clock.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { LifecycleDates, ModelEntry, Platform } from './types.js';

/**
 * A model's lifecycle dates on a platform: the cloud's own where the data has
 * them (the platform's descriptor says whose dates it follows: Bedrock's
 * Messages integration keeps Bedrock's); on a platform that sets its own
 * (Bedrock, Vertex) without them, none; else the Anthropic-operated ones.
 */
export function lifecycleOn(model: ModelEntry, platform?: Platform): LifecycleDates {
  const rule = platform ? descriptorOf(platform).lifecycle : undefined;
  const own = rule ? model.platformLifecycle[rule.datesOf] : undefined;
  if (own && (own.deprecated || own.retires)) return own;
  if (rule && !rule.anthropicDates) return {};
  return anthropicLifecycle(model);
}

function anthropicLifecycle(model: ModelEntry): LifecycleDates {
  return {
    ...(model.deprecated ? { deprecated: model.deprecated } : {}),
    ...(model.retires ? { retires: model.retires } : {}),
  };
}

/** Whether a model has retired by `now` (ms epoch): on a platform, or on every platform that offers it. */
export function isRetired(model: ModelEntry, now: number, platform?: Platform): boolean {
  const today = isoDay(now);
  const retiredOn = (where?: Platform) => {
    const retires = lifecycleOn(model, where).retires;
    return retires !== undefined && retires <= today;
  };
  if (platform) return retiredOn(platform);
  const platforms = model.offeredBy.length > 0 ? model.offeredBy : [undefined];
  return platforms.every((where) => retiredOn(where));
}

/**
 * A warning for a deprecated or retired model that names its replacement, or
 * undefined when the model is current. `now` comes from the injected clock.
 *
 * @example
 * deprecationNotice(findModel('claude-sonnet-4-5')!, Date.parse('2026-12-05'))
 * // 'Claude Sonnet 4.5 (claude-sonnet-4-5) retired on 2026-11-30; platforms may reject it. Move to claude-sonnet-5-5.'
 */
export function deprecationNotice(
  model: ModelEntry,
  now: number | Date,
  platform?: Platform,
): string | undefined {
  // On a cloud whose own dates are unknown, Anthropic's still say the model is on its way out.
  let dates = lifecycleOn(model, platform);
  if (!dates.deprecated && !dates.retires) dates = anthropicLifecycle(model);
  if (!dates.deprecated && !dates.retires) return undefined;
  return noticeForDay(model, dates, dayOf(typeof now === 'number' ? now : now.getTime()), platform);
}

let cachedDay: { start: number; end: number; day: string } | undefined;

/** The ISO day of a time, formatting a date only when the day changes (the gateway asks per request). */
function dayOf(time: number): string {
  if (cachedDay && time >= cachedDay.start && time < cachedDay.end) return cachedDay.day;
  const start = time - (time % 86_400_000);
  cachedDay = { start, end: start + 86_400_000, day: isoDay(start) };
  return cachedDay.day;
}

const notices = new Map<string, string | undefined>();

/** The notice for a model on a day, computed once per model and day (the gateway asks on every request). */
function noticeForDay(
  model: ModelEntry,
  dates: LifecycleDates,
  today: string,
  platform: Platform | undefined,
): string | undefined {
  const key = `${model.name}@${today}@${platform ?? ''}@${dates.deprecated ?? ''}@${dates.retires ?? ''}@${model.replacement ?? ''}`;
  if (notices.has(key)) return notices.get(key);
  if (notices.size > 1_000) notices.clear();
  const notice = computeNotice(model, dates, today);
  notices.set(key, notice);
  return notice;
}

function computeNotice(model: ModelEntry, dates: LifecycleDates, today: string): string | undefined {
  const move = model.replacement ? `Move to ${model.replacement}.` : 'Move to a current model.';
  if (dates.retires && dates.retires <= today) {
    return `${model.displayName} (${model.name}) retired on ${dates.retires}; platforms may reject it. ${move}`;
  }
  if (dates.deprecated && dates.deprecated <= today) {
    const retirement = dates.retires ? ` and retires on ${dates.retires}` : '';
    return `${model.displayName} (${model.name}) is deprecated (since ${dates.deprecated})${retirement}. ${move}`;
  }
  return undefined;
}
