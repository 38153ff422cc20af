import { readFileSync } from 'node:fs';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream.js';
import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../../wire/anthropic-events.js';

/** The events of an SSE fixture beside this file, decoded. */
export function readStreamFixture(name: string): StreamEvent[] {
  const text = readFileSync(new URL(name, import.meta.url), 'utf8');
  const events: StreamEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push(JSON.parse(event.data) as StreamEvent) });
  parser.feed(text);
  return events;
}

/** Feeds events to the official SDK's MessageStream (its public way: newline-delimited JSON) and returns its final message. */
export async function sdkFinalMessage(events: readonly StreamEvent[]): Promise<unknown> {
  const bytes = new TextEncoder().encode(events.map((event) => JSON.stringify(event)).join('\n'));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const { parsed_output: _parsedOutput, ...message } = await MessageStream.fromReadableStream(body).finalMessage();
  return message;
}

/** Splits a text into pieces of the given sizes, cycling. */
export function splitBySizes(text: string, sizes: readonly number[]): string[] {
  const pieces: string[] = [];
  for (let start = 0, turn = 0; start < text.length; turn++) {
    const size = sizes[turn % sizes.length] ?? 1;
    pieces.push(text.slice(start, start + size));
    start += size;
  }
  return pieces;
}

/** Freezes an object graph, so a test fails if anything mutates it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
