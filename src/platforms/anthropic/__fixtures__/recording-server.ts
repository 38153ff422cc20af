/**
 * A stub HTTP server for tests: listens on 127.0.0.1 on a free port, records
 * every request (method, raw path, headers, body) and answers what the test
 * says. Lives under `__fixtures__` so it is neither built nor linted as product code.
 */

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The raw request target, undecoded: path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A body, or chunks written one after another. */
  body?: string | string[];
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a recording server.
 *
 * @example
 * const server = await startRecordingServer(() => ({ body: '{"input_tokens":3}' }));
 * await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: '{}' });
 * server.requests[0]?.path; // '/v1/messages/count_tokens'
 */
export async function startRecordingServer(
  answer: (request: RecordedRequest) => StubAnswer | Promise<StubAnswer>,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      Promise.resolve(answer(request)).then(
        (reply) => {
          outgoing.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
          const body = reply.body ?? '';
          for (const chunk of typeof body === 'string' ? [body] : body) outgoing.write(chunk);
          outgoing.end();
        },
        (error: unknown) => {
          outgoing.writeHead(500, { 'content-type': 'text/plain' });
          outgoing.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A complete Messages answer, as the stubs send it. */
export const MESSAGE_ANSWER = JSON.stringify({
  id: 'msg_stub',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hello.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 2 },
});
