/**
 * Before timing anything: every system must answer the same request with an
 * Anthropic-shaped message (JSON) and an Anthropic-shaped SSE stream, or the
 * bench stops and says which one did not.
 */
import { MODEL, messagesBody, SHORT_ANSWER, SHORT_STREAM } from './bodies.js';
import { LoadClient } from './load-client.js';
import type { System } from './systems.js';

const STREAM_START = ['message_start', 'content_block_start'];

/** Throws naming the first system whose answers are not Anthropic's shapes. */
export async function checkAnswers(systems: System[]): Promise<void> {
  for (const system of systems) {
    const client = new LoadClient(system.endpoint, 1);
    try {
      const answer = await client.json(
        await system.endpoint.prepare(messagesBody({ script: SHORT_ANSWER, stream: false })),
      );
      const message = answer.body as { type?: unknown; content?: { text?: unknown }[]; model?: unknown };
      if (
        answer.status !== 200 ||
        message.type !== 'message' ||
        message.content?.[0]?.text !== SHORT_ANSWER.text
      ) {
        throw new Error(
          `${system.label}: expected an Anthropic message saying "${SHORT_ANSWER.text}", got ${answer.status} ` +
            JSON.stringify(answer.body).slice(0, 300),
        );
      }
      // A Bedrock profile id (`us.anthropic.claude-sonnet-4-6`) names the model too.
      if (
        typeof message.model !== 'string' ||
        !message.model.replace(/^(\w+\.)?anthropic\./, '').startsWith(MODEL)
      ) {
        throw new Error(`${system.label}: the answer names model ${String(message.model)}`);
      }
      const stream = await client.stream(
        await system.endpoint.prepare(messagesBody({ script: SHORT_STREAM, stream: true })),
      );
      const types = stream.types.filter((type) => type !== 'ping' && type !== 'hook_results');
      if (!STREAM_START.every((type, index) => types[index] === type) || types.at(-1) !== 'message_stop') {
        throw new Error(
          `${system.label}: the stream's events are not Anthropic's: ${stream.types.join(', ')}`,
        );
      }
    } finally {
      await client.close();
    }
  }
}
