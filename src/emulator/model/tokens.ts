import { createHash } from 'node:crypto';

/*
 * The emulator's tokenizer: deterministic and cheap, not Claude's. One token
 * is up to four UTF-8 bytes of text; structured parts count by their JSON.
 * count_tokens and message usage use the same function, so they agree.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Tokens in a piece of text (its UTF-8 length, measured without encoding it). */
export function tokensInText(text: string): number {
  if (text.length === 0) return 0;
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

const IMAGE_TOKENS = 1_500;
const DOCUMENT_BASE_TOKENS = 2_000;
const PER_MESSAGE_OVERHEAD = 4;
const TOOLS_OVERHEAD = 300;
const REQUEST_OVERHEAD = 3;

/** Tokens of one content block as it appears in a request. */
export function tokensInBlock(block: unknown): number {
  if (typeof block === 'string') return tokensInText(block);
  if (!block || typeof block !== 'object') return 0;
  const record = block as Record<string, unknown>;
  switch (record['type']) {
    case 'text':
      return tokensInText(String(record['text'] ?? ''));
    case 'thinking':
      return tokensInText(String(record['thinking'] ?? ''));
    case 'redacted_thinking':
      return tokensInText(String(record['data'] ?? '')) / 4;
    case 'image':
      return IMAGE_TOKENS;
    case 'document': {
      const source = record['source'] as Record<string, unknown> | undefined;
      if (source?.['type'] === 'text')
        return DOCUMENT_BASE_TOKENS + tokensInText(String(source['data'] ?? ''));
      return DOCUMENT_BASE_TOKENS;
    }
    case 'tool_use':
      return tokensInText(String(record['name'] ?? '')) + tokensInText(JSON.stringify(record['input'] ?? {}));
    case 'tool_result': {
      const content = record['content'];
      if (Array.isArray(content)) return content.reduce<number>((sum, part) => sum + tokensInBlock(part), 0);
      return tokensInText(typeof content === 'string' ? content : JSON.stringify(content ?? ''));
    }
    default:
      return tokensInText(JSON.stringify(stripCacheControl(record)));
  }
}

function stripCacheControl(record: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _ignored, ...rest } = record;
  return rest;
}

/** The content of one message or system prompt as a list of blocks. */
export function blocksOf(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** A point in the prompt (after a tool, system block or message block): the tokens up to it and a digest of that prefix. */
export interface PromptBoundary {
  tokens: number;
  /** Only at a breakpoint and the {@link CACHE_LOOKBACK_BLOCKS} blocks before it: nothing else looks. */
  digest?: string;
}

/** How far before a breakpoint the API looks for an earlier cached prefix. */
export const CACHE_LOOKBACK_BLOCKS = 20;

export interface CountedPrompt {
  total: number;
  /** One boundary after each block, in prompt order (tools, system, messages). */
  boundaries: PromptBoundary[];
  /** Indices into `boundaries` of the blocks marked with `cache_control`. */
  breakpoints: number[];
}

/**
 * The input tokens of a Messages request body, in the order a prompt cache
 * sees it (tools, system, messages), with the running total and a digest of
 * the prefix at each block the prompt cache may look at (a breakpoint and the
 * blocks just before it), so it can find the longest cached prefix. The
 * digests leave `cache_control` out: moving a breakpoint to a later block (as
 * clients do each turn) keeps the earlier prefix's digest.
 */
export function countInputTokens(body: Record<string, unknown>): CountedPrompt {
  // Validation and the reply each count the same parsed body: once is enough. (Bodies are read,
  // never changed, once parsed; a WeakMap lets each go with its request.)
  const known = counted.get(body);
  if (known) return known;
  const result = countPrompt(body);
  counted.set(body, result);
  return result;
}

const counted = new WeakMap<Record<string, unknown>, CountedPrompt>();

/** What the prefix digest takes in, in order: a message's role, or a block (by its JSON, without `cache_control`). */
type PromptStep = { role: string } | { block: unknown; json?: string };

function countPrompt(body: Record<string, unknown>): CountedPrompt {
  let total = REQUEST_OVERHEAD;
  const boundaries: PromptBoundary[] = [];
  const breakpoints: number[] = [];
  const steps: PromptStep[] = [];
  const add = (block: unknown, tokens: number, json?: string) => {
    total += tokens;
    steps.push(json === undefined ? { block } : { block, json });
    boundaries.push({ tokens: Math.ceil(total) });
    if (hasCacheControl(block)) breakpoints.push(boundaries.length - 1);
  };
  const tools = Array.isArray(body['tools']) ? (body['tools'] as Json[]) : [];
  if (tools.length > 0) total += TOOLS_OVERHEAD;
  for (const tool of tools) {
    // Without a cache_control key its JSON is the digest's too: stringified once.
    const json =
      tool && typeof tool === 'object' && 'cache_control' in tool ? undefined : JSON.stringify(tool);
    add(tool, tokensInText(json ?? JSON.stringify(tool)), json);
  }
  for (const block of blocksOf(body['system'])) add(block, tokensInBlock(block));
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    total += PER_MESSAGE_OVERHEAD;
    const record = message && typeof message === 'object' ? (message as Record<string, unknown>) : {};
    steps.push({ role: String(record['role']) });
    for (const block of blocksOf(record['content'])) add(block, tokensInBlock(block));
  }
  if (breakpoints.length > 0) digestPrefixes(steps, boundaries, breakpoints);
  return { total: Math.ceil(total), boundaries, breakpoints };
}

/** Fills in the prefix digests the prompt cache reads: up to the last breakpoint, at each one and the blocks before it. */
function digestPrefixes(steps: PromptStep[], boundaries: PromptBoundary[], breakpoints: number[]): void {
  const wanted = new Set<number>();
  for (const breakpoint of breakpoints) {
    for (let index = Math.max(0, breakpoint - CACHE_LOOKBACK_BLOCKS); index <= breakpoint; index++)
      wanted.add(index);
  }
  const last = breakpoints[breakpoints.length - 1] as number;
  const prefix = createHash('sha256');
  let block = -1;
  for (const step of steps) {
    if ('role' in step) {
      prefix.update(step.role);
      continue;
    }
    block += 1;
    if (block > last) return;
    const part = step.block;
    const plain =
      part && typeof part === 'object' && !Array.isArray(part)
        ? stripCacheControl(part as Record<string, unknown>)
        : part;
    prefix.update(step.json ?? JSON.stringify(plain) ?? '');
    if (wanted.has(block)) (boundaries[block] as PromptBoundary).digest = prefix.copy().digest('hex');
  }
}

function hasCacheControl(value: unknown): boolean {
  return (
    !!value &&
    typeof value === 'object' &&
    'cache_control' in value &&
    !!(value as { cache_control: unknown }).cache_control
  );
}
