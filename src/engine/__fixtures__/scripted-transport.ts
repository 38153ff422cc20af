/**
 * A transport that answers from a script instead of the network, for unit
 * tests of the engine's retry, failover and stream handling: each `send`
 * takes the next step (a response, or an error to throw) and records the
 * request it was given.
 */
import type { Platform } from '../../catalog/types.js';
import type { UpstreamResponse } from '../../platforms/transport.js';
import type { UpstreamRequest } from '../../platforms/types.js';
import type { Transport } from '../transport.js';

export type ScriptedStep = UpstreamResponse | Error;

export class ScriptedTransport implements Transport {
  readonly sent: { request: UpstreamRequest; platform: Platform }[] = [];

  constructor(private readonly steps: ScriptedStep[]) {}

  async send(request: UpstreamRequest, platform: Platform): Promise<UpstreamResponse> {
    this.sent.push({ request, platform });
    const step = this.steps.shift();
    if (!step) throw new Error(`the script has no answer for request ${this.sent.length}`);
    if (step instanceof Error) throw step;
    return step;
  }

  async close(): Promise<void> {}
}

/** A body from chunks; an Error among them is thrown there (a connection reset mid-answer). */
export function bodyOf(chunks: readonly (string | Error)[]): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        if (chunk instanceof Error) throw chunk;
        yield new TextEncoder().encode(chunk);
      }
    },
  };
}

/** An answer with `status`, headers and a body sent as `chunks`; `discarded` says whether the engine dropped it. */
export function response(
  status: number,
  chunks: readonly (string | Error)[],
  headers: Record<string, string> = {},
): UpstreamResponse & { discarded: boolean } {
  const answer = {
    status,
    headers: new Headers(headers),
    body: bodyOf(chunks),
    discarded: false,
    text: async () => chunks.filter((chunk): chunk is string => typeof chunk === 'string').join(''),
    discard: () => {
      answer.discarded = true;
    },
  };
  return answer;
}

/** An Anthropic API error answer. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}) {
  return response(status, [JSON.stringify({ type: 'error', error: { type, message } })], {
    'content-type': 'application/json',
    ...headers,
  });
}

/** SSE text for Anthropic stream events. */
export function sse(...events: Record<string, unknown>[]): string {
  return events.map((event) => `event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

export const MESSAGE_START = {
  type: 'message_start',
  message: {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
};
export const TEXT_START = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
export const textDelta = (text: string) => ({
  type: 'content_block_delta',
  index: 0,
  delta: { type: 'text_delta', text },
});
export const MESSAGE_END = [
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } },
  { type: 'message_stop' },
];
