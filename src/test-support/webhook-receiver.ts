import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver took. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (the raw text when it is not JSON). */
  body: unknown;
  /** The status it was answered with. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every POST, in order of arrival, whatever it was answered. */
  received: ReceivedHook[];
  /** The statuses to answer the next POSTs with, in order; 200 once they run out. */
  answerWith(...statuses: number[]): void;
  close(): Promise<void>;
}

/**
 * Test-only: a real HTTP server on 127.0.0.1 (a free port) that records each
 * POST and answers 200, or the statuses a test scripts.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * receiver.answerWith(500); // the first POST fails, the next ones succeed
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const scripted: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const status = scripted.shift() ?? 200;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/budget`,
    received,
    answerWith: (...statuses) => scripted.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
