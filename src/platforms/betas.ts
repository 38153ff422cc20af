import type { Platform } from '../catalog/types.js';
import { FINE_GRAINED_TOOL_STREAMING_BETA } from './beta-support.js';
import { descriptorOf } from './descriptors.js';

/**
 * Betas a platform rejected at run time ("Unexpected value(s) `x` for the
 * `anthropic-beta` header"), remembered per platform so later requests drop
 * them before they are sent. Shared by every adapter of one engine.
 */
export class BetaMemory {
  private readonly rejected = new Map<Platform, Set<string>>();

  remember(platform: Platform, betas: readonly string[]): void {
    let set = this.rejected.get(platform);
    if (!set) {
      set = new Set();
      this.rejected.set(platform, set);
    }
    for (const beta of betas) set.add(beta);
  }

  isRejected(platform: Platform, beta: string): boolean {
    return this.rejected.get(platform)?.has(beta) ?? false;
  }

  /** What was learned, for `doctor` and tests. */
  learned(platform: Platform): string[] {
    return [...(this.rejected.get(platform) ?? [])];
  }
}

export interface BetaSelection {
  /** Betas to send. */
  kept: string[];
  /** Betas dropped because the platform is known (or learned) to reject them. */
  dropped: string[];
}

/**
 * The betas to send to a platform: known-rejected and learned-rejected betas
 * are dropped (and reported), everything else, unknown betas included, is
 * forwarded: a new beta must work with no code change. A platform that takes
 * no `anthropic-beta` at all (Bedrock's Messages API) gets none: each is dropped.
 *
 * @example
 * selectBetas('vertex', ['files-api-2025-04-14', 'context-1m-2025-08-07'], memory)
 * // { kept: ['context-1m-2025-08-07'], dropped: ['files-api-2025-04-14'] }
 */
export function selectBetas(
  platform: Platform,
  betas: readonly string[],
  memory?: BetaMemory,
): BetaSelection {
  const support = descriptorOf(platform).betas;
  const rejected = new Set(support.rejected);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const beta of betas) {
    if (support.refusesAll) {
      if (!dropped.includes(beta)) dropped.push(beta);
    } else if (rejected.has(beta) || memory?.isRejected(platform, beta)) dropped.push(beta);
    else if (!kept.includes(beta)) kept.push(beta);
  }
  return { kept, dropped };
}

const UNEXPECTED_BETAS = /Unexpected value\(s\) ((?:`[^`]+`(?:,\s*)?)+) for the `anthropic-beta` header/i;

/**
 * The betas an upstream named as unexpected in a 400 answer, or an empty list.
 *
 * @example
 * unexpectedBetas('Unexpected value(s) `a-1`, `b-2` for the `anthropic-beta` header. …') // ['a-1', 'b-2']
 */
export function unexpectedBetas(message: string): string[] {
  const match = UNEXPECTED_BETAS.exec(message);
  if (!match?.[1]) return [];
  return [...match[1].matchAll(/`([^`]+)`/g)].map((item) => item[1] ?? '').filter(Boolean);
}

/** Whether an error message is Bedrock's answer to a beta it does not take. */
export function isInvalidBetaFlagMessage(message: string): boolean {
  return /invalid beta flag/i.test(message);
}

/** Merges betas from a header value and a body field, keeping order and dropping duplicates and blanks. */
export function mergeBetas(...sources: (string | readonly unknown[] | null | undefined)[]): string[] {
  const betas: string[] = [];
  for (const source of sources) {
    const items = typeof source === 'string' ? source.split(',') : Array.isArray(source) ? source : [];
    for (const item of items) {
      if (typeof item !== 'string') continue;
      const beta = item.trim();
      if (beta && !betas.includes(beta)) betas.push(beta);
    }
  }
  return betas;
}

/**
 * Removes per-tool `eager_input_streaming` (which Bedrock rejects) from a copy
 * of the tools, and says whether any tool asked for it, so the caller can add
 * the fine-grained tool streaming beta instead.
 */
export function withoutEagerInputStreaming(tools: unknown): { tools: unknown; requested: boolean } {
  if (!Array.isArray(tools)) return { tools, requested: false };
  let requested = false;
  let changed = false;
  const copy = tools.map((tool) => {
    if (!tool || typeof tool !== 'object' || !('eager_input_streaming' in tool)) return tool;
    changed = true;
    const { eager_input_streaming: eager, ...rest } = tool as Record<string, unknown>;
    if (eager === true) requested = true;
    return rest;
  });
  return { tools: changed ? copy : tools, requested };
}

export { FINE_GRAINED_TOOL_STREAMING_BETA };
