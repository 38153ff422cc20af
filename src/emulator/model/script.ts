import { z } from 'zod';

/**
 * What the emulator's model should answer. Every field is optional; without a
 * script the model answers with text derived from the last user message.
 *
 * A script reaches the model three ways, first match wins:
 * 1. queued through the control API (`POST /_emulator/scripts`),
 * 2. the `x-emulator-script` request header (JSON),
 * 3. the last user message, as text that starts with `@emulator ` followed by JSON.
 */
export const scriptSchema = z
  .object({
    /** Exact reply text. */
    text: z.string().optional(),
    /** Tool calls to make, in order, after any text. `raw_input` streams as given, valid JSON or not. */
    tool_use: z
      .union([
        z.object({ name: z.string(), input: z.unknown().optional(), raw_input: z.string().optional() }),
        z.array(
          z.object({ name: z.string(), input: z.unknown().optional(), raw_input: z.string().optional() }),
        ),
      ])
      .optional(),
    /** Thinking text to produce (also without `thinking` in the request). */
    thinking: z.string().optional(),
    /** A redacted thinking block with this opaque `data`, after any thinking. */
    redacted_thinking: z.string().min(1).optional(),
    /** Overrides the stop reason (e.g. `refusal`, `pause_turn`). */
    stop_reason: z.string().optional(),
    /** Milliseconds between stream events. */
    delay_ms: z.number().int().min(0).max(60_000).optional(),
    /** Characters per text delta. */
    chunk_chars: z.number().int().min(1).max(10_000).optional(),
    /** Repeat the derived text until it has at least this many characters (for large answers). */
    min_chars: z.number().int().min(0).max(50_000_000).optional(),
    /**
     * Stream only: each text delta's text starts with `@sent=<ns>;`, the emulator's monotonic clock
     * (`process.hrtime`, which every process on the machine shares) when the event was written. A
     * client subtracts it from its own clock on arrival: the delay each event took through whatever
     * sits between (the bench's per-event added delay), free of the emulator's timer jitter.
     * Anthropic SSE and Bedrock InvokeModel streams; other shapes ignore it.
     */
    stamp: z.boolean().optional(),
  })
  .strict();

export type EmulatorScript = z.infer<typeof scriptSchema>;

export interface ScriptedToolCall {
  name: string;
  input?: unknown;
  raw_input?: string;
}

/** The tool calls of a script as a list. */
export function toolCallsOf(script: EmulatorScript): ScriptedToolCall[] {
  if (!script.tool_use) return [];
  return Array.isArray(script.tool_use) ? script.tool_use : [script.tool_use];
}

const MARKER = '@emulator';

/**
 * Parses a script from JSON text. Returns an error message that says what is
 * wrong, so the emulator can answer 400 instead of guessing.
 */
export function parseScript(text: string): { script: EmulatorScript } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `the emulator script is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = scriptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: `the emulator script is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`,
    };
  }
  return { script: parsed.data };
}

/**
 * Finds an `@emulator {…}` script in the last user message's text blocks.
 * Claude Code adds reminder blocks around the prompt, so every text block of
 * that message is searched; and with `mid-conversation-system-2026-04-07` it
 * puts `role: "system"` entries after it, so those are stepped over. An
 * assistant message after the last user message means the script was
 * already answered.
 */
export function scriptInMessages(
  messages: unknown,
): { script: EmulatorScript } | { error: string } | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  let index = messages.length - 1;
  while (index > 0 && (messages[index] as { role?: unknown } | undefined)?.role === 'system') index--;
  const last = messages[index] as { role?: unknown; content?: unknown } | undefined;
  if (last?.role !== 'user') return undefined;
  const texts =
    typeof last.content === 'string'
      ? [last.content]
      : Array.isArray(last.content)
        ? last.content.flatMap((block) =>
            block && typeof block === 'object' && (block as { type?: unknown }).type === 'text'
              ? [String((block as { text?: unknown }).text ?? '')]
              : [],
          )
        : [];
  for (const text of texts) {
    const at = text.indexOf(MARKER);
    if (at === -1) continue;
    const json = text.slice(at + MARKER.length).trim();
    const end = lastClosingBrace(json);
    return parseScript(end === -1 ? json : json.slice(0, end + 1));
  }
  return undefined;
}

function lastClosingBrace(text: string): number {
  return text.lastIndexOf('}');
}
