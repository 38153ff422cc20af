import { randomBytes } from 'node:crypto';
import type { Platform } from '../../catalog/types.js';
import { FINE_GRAINED_TOOL_STREAMING_BETA } from '../../platforms/beta-support.js';
import { citedBlock } from './citations.js';
import type { PromptCache } from './prompt-cache.js';
import { type EmulatorScript, type ScriptedToolCall, toolCallsOf } from './script.js';
import type { ThinkingSigner } from './thinking-signature.js';
import { blocksOf, countInputTokens, tokensInText } from './tokens.js';

/** One block of the answer, before it is written as a message or as events. */
export type PlannedBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string; citations?: Record<string, unknown>[] }
  | {
      type: 'tool_use';
      id: string;
      name: string;
      /** The input as it streams: serialized JSON, or a script's raw text (maybe invalid). */
      inputJson: string;
      /** Streams as raw fragments (fine-grained tool streaming) rather than at JSON token boundaries. */
      fineGrained: boolean;
      /** Cut by max_tokens before the input was complete. */
      truncated: boolean;
    };

export interface PlannedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The whole answer of the emulated model to one request. */
export interface Reply {
  id: string;
  model: string;
  blocks: PlannedBlock[];
  stopReason: string;
  stopSequence: string | null;
  usage: PlannedUsage;
  /** Options for the stream writer. */
  delayMs: number;
  chunkChars: number;
}

export interface ReplyContext {
  platform: Platform;
  /** Where the prompt cache is scoped: platform, region and model. */
  cacheScope: string;
  body: Record<string, unknown>;
  /** The model id to put in the answer (the first-party dated id). */
  responseModel: string;
  betas: ReadonlySet<string>;
  script: EmulatorScript | undefined;
  cache: PromptCache;
  signer: ThinkingSigner;
}

const ID_PREFIX: Record<Platform, { message: string; tool: string }> = {
  anthropic: { message: 'msg_01', tool: 'toolu_01' },
  foundry: { message: 'msg_01', tool: 'toolu_01' },
  bedrock: { message: 'msg_bdrk_01', tool: 'toolu_bdrk_01' },
  'bedrock-messages': { message: 'msg_bdrk_01', tool: 'toolu_bdrk_01' },
  'claude-platform-aws': { message: 'msg_01', tool: 'toolu_01' },
  vertex: { message: 'msg_vrtx_01', tool: 'toolu_vrtx_01' },
};

/** A random id in the platforms' style: a prefix and base62 characters. */
export function randomId(prefix: string, length = 22): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/**
 * Plans the emulated model's answer: text derived from the last user message
 * (or a script), optional thinking, tool calls, then the cuts real models make
 * (stop sequences, max_tokens mid-text or mid-tool-input) and consistent usage.
 */
export function planReply(context: ReplyContext): Reply {
  const { body, script, platform } = context;
  const ids = ID_PREFIX[platform];
  const blocks: PlannedBlock[] = [];

  const thinkingRequested = isThinkingOn(body['thinking']);
  if (thinkingRequested || script?.thinking) {
    const thinking = script?.thinking ?? deriveThinking(body);
    blocks.push({ type: 'thinking', thinking, signature: context.signer.sign(platform, thinking) });
  }
  if (script?.redacted_thinking) blocks.push({ type: 'redacted_thinking', data: script.redacted_thinking });

  const toolCalls: ScriptedToolCall[] = script ? toolCallsOf(script) : defaultToolCalls(body);
  const text = script?.text ?? (toolCalls.length > 0 && !script ? '' : deriveText(context));
  const padded = padText(text, script?.min_chars);
  if (padded.length > 0) blocks.push({ type: 'text', text: padded });
  // Documents with citations enabled: the answer cites one, as Claude does.
  const cited = toolCalls.length === 0 ? citedBlock(body) : undefined;
  if (cited) blocks.push({ type: 'text', ...cited });

  for (const call of toolCalls) {
    blocks.push({
      type: 'tool_use',
      id: randomId(ids.tool),
      name: call.name,
      inputJson: call.raw_input ?? JSON.stringify(call.input ?? {}),
      fineGrained: isFineGrained(context, call.name),
      truncated: false,
    });
  }

  let stopReason = script?.stop_reason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn');
  let stopSequence: string | null = null;
  const stopped = applyStopSequences(blocks, body['stop_sequences']);
  if (stopped) {
    stopReason = 'stop_sequence';
    stopSequence = stopped;
  }
  const maxTokens = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : Number.POSITIVE_INFINITY;
  const cut = applyMaxTokens(blocks, maxTokens);
  if (cut) stopReason = 'max_tokens';
  for (const block of blocks) {
    // A thinking block cut by max_tokens is signed as it was sent.
    if (block.type === 'thinking') block.signature = context.signer.sign(platform, block.thinking);
  }

  const counted = countInputTokens(body);
  const cached = context.cache.use(context.cacheScope, counted);
  return {
    id: randomId(ids.message, 24),
    model: context.responseModel,
    blocks,
    stopReason,
    stopSequence,
    usage: {
      input_tokens: counted.total - cached.cacheReadTokens - cached.cacheWriteTokens,
      output_tokens: Math.max(
        1,
        blocks.reduce((sum, block) => sum + outputTokensOf(block), 0),
      ),
      cache_creation_input_tokens: cached.cacheWriteTokens,
      cache_read_input_tokens: cached.cacheReadTokens,
    },
    delayMs: script?.delay_ms ?? 0,
    chunkChars: script?.chunk_chars ?? 16,
  };
}

function isThinkingOn(thinking: unknown): boolean {
  if (!thinking || typeof thinking !== 'object') return false;
  const type = (thinking as { type?: unknown }).type;
  return type === 'enabled' || type === 'adaptive';
}

function isFineGrained(context: ReplyContext, toolName: string): boolean {
  if (context.betas.has(FINE_GRAINED_TOOL_STREAMING_BETA)) return true;
  const tools = Array.isArray(context.body['tools']) ? context.body['tools'] : [];
  return tools.some(
    (tool) =>
      !!tool &&
      typeof tool === 'object' &&
      (tool as { name?: unknown }).name === toolName &&
      (tool as { eager_input_streaming?: unknown }).eager_input_streaming === true,
  );
}

/** The text of the last user message, and whether it carries tool results. */
export function lastUserTurn(body: Record<string, unknown>): { text: string; toolResults: string[] } {
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown } | undefined;
    if (message?.role !== 'user') continue;
    const texts: string[] = [];
    const toolResults: string[] = [];
    for (const block of blocksOf(message.content)) {
      const record = block as Record<string, unknown>;
      if (record['type'] === 'text') texts.push(String(record['text'] ?? ''));
      if (record['type'] === 'tool_result') toolResults.push(toolResultText(record['content']));
    }
    // Claude Code wraps reminders in <system-reminder> blocks; the prompt is the last plain text.
    const plain = texts.filter((text) => !text.trimStart().startsWith('<system-reminder>'));
    return { text: (plain[plain.length - 1] ?? texts[texts.length - 1] ?? '').trim(), toolResults };
  }
  return { text: '', toolResults: [] };
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join(' ');
  }
  return JSON.stringify(content ?? '');
}

function excerpt(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

/** The default answer: derived from the prompt, so a test can check it end to end. */
function deriveText(context: ReplyContext): string {
  const turn = lastUserTurn(context.body);
  if (turn.toolResults.length > 0) {
    return `The tool returned: ${excerpt(turn.toolResults.join(' | '), 200)}. That completes the task.`;
  }
  const prompt = turn.text.replace(/@emulator[\s\S]*$/, '').trim();
  return (
    `Hello from the claude-gateway emulator (${context.responseModel} on ${context.platform}). ` +
    `You wrote: "${excerpt(prompt, 160)}". ` +
    'This reply is derived from your message, so every hop can be checked end to end.'
  );
}

function deriveThinking(body: Record<string, unknown>): string {
  const turn = lastUserTurn(body);
  return `The user asked: "${excerpt(turn.text, 80)}". I will answer briefly and check the details first.`;
}

function padText(text: string, minimum: number | undefined): string {
  if (!minimum || text.length >= minimum || text.length === 0) return text;
  const parts = [text];
  let length = text.length;
  let line = 1;
  while (length < minimum) {
    const more = ` Line ${line++} of the long answer keeps going so the stream has many events.`;
    parts.push(more);
    length += more.length;
  }
  return parts.join('');
}

/**
 * Without a script, a request whose `tool_choice` forces a tool (`any` or a
 * named tool) gets a call with an input built from the tool's schema; with
 * `auto`, the model answers in text.
 */
function defaultToolCalls(body: Record<string, unknown>): { name: string; input: unknown }[] {
  const tools = Array.isArray(body['tools']) ? (body['tools'] as Record<string, unknown>[]) : [];
  const choice = body['tool_choice'] as { type?: unknown; name?: unknown } | undefined;
  if (tools.length === 0 || !choice) return [];
  if (lastUserTurn(body).toolResults.length > 0) return [];
  let tool: Record<string, unknown> | undefined;
  if (choice.type === 'tool') tool = tools.find((candidate) => candidate['name'] === choice.name);
  else if (choice.type === 'any') tool = tools.find((candidate) => candidate['input_schema']);
  if (!tool) return [];
  return [{ name: String(tool['name']), input: exampleFromSchema(tool['input_schema'], 0) }];
}

/** A deterministic example value for a JSON schema: what a test can predict. */
export function exampleFromSchema(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > 5) return null;
  const record = schema as Record<string, unknown>;
  if (Array.isArray(record['enum']) && record['enum'].length > 0) return record['enum'][0];
  switch (record['type']) {
    case 'string':
      return 'example';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleFromSchema(record['items'], depth + 1)];
    default: {
      const properties = (record['properties'] ?? {}) as Record<string, unknown>;
      const required = Array.isArray(record['required'])
        ? (record['required'] as string[])
        : Object.keys(properties);
      const value: Record<string, unknown> = {};
      for (const key of required) value[key] = exampleFromSchema(properties[key], depth + 1);
      return value;
    }
  }
}

/** Cuts text at the first stop sequence and drops what follows. Returns the sequence hit. */
function applyStopSequences(blocks: PlannedBlock[], stopSequences: unknown): string | undefined {
  if (!Array.isArray(stopSequences) || stopSequences.length === 0) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (block.type !== 'text') continue;
    let earliest: { at: number; sequence: string } | undefined;
    for (const sequence of stopSequences) {
      if (typeof sequence !== 'string' || sequence.length === 0) continue;
      const at = block.text.indexOf(sequence);
      if (at !== -1 && (!earliest || at < earliest.at)) earliest = { at, sequence };
    }
    if (earliest) {
      block.text = block.text.slice(0, earliest.at);
      blocks.splice(index + 1);
      if (block.text.length === 0) blocks.splice(index, 1);
      return earliest.sequence;
    }
  }
  return undefined;
}

function outputTokensOf(block: PlannedBlock): number {
  switch (block.type) {
    case 'thinking':
      return tokensInText(block.thinking);
    case 'redacted_thinking':
      return tokensInText(block.data);
    case 'text':
      return tokensInText(block.text);
    case 'tool_use':
      return tokensInText(block.inputJson) + 1;
  }
}

/** Cuts the answer where max_tokens runs out, mid-text or mid-tool-input. Returns true when it cut. */
function applyMaxTokens(blocks: PlannedBlock[], maxTokens: number): boolean {
  let remaining = maxTokens;
  for (const [index, block] of blocks.entries()) {
    const cost = outputTokensOf(block);
    if (cost <= remaining) {
      remaining -= cost;
      continue;
    }
    if (remaining <= 0 || (block.type === 'tool_use' && remaining <= 1)) {
      blocks.splice(index);
      return true;
    }
    if (block.type === 'text') block.text = prefixWithinTokens(block.text, remaining);
    if (block.type === 'thinking') block.thinking = prefixWithinTokens(block.thinking, remaining);
    if (block.type === 'tool_use') {
      block.inputJson = prefixWithinTokens(block.inputJson, remaining - 1);
      block.truncated = true;
    }
    blocks.splice(index + 1);
    return true;
  }
  return false;
}

/**
 * The longest prefix of `text` within `tokens` (at most 4 UTF-8 bytes a
 * token), never cutting a surrogate pair: one pass over the text (cutting a
 * character at a time and re-counting was quadratic on large answers).
 */
export function prefixWithinTokens(text: string, tokens: number): string {
  const limit = Math.max(0, tokens * 4);
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(end + 1));
    // UTF-8 length: a pair is 4 bytes; a lone surrogate is written as U+FFFD, 3 bytes.
    const size = pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (bytes + size > limit) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
