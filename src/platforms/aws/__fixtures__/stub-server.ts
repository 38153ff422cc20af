/**
 * A stub upstream for tests: a node:http server on 127.0.0.1, port 0, that
 * records every request exactly as it arrived (raw path, headers, body bytes)
 * and answers with canned bytes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignedRequest } from '../../../emulator/auth/signed-request.js';

export interface RecordedRequest {
  method: string;
  /** The request target as sent: path and query, undecoded. */
  target: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CannedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Written as given; several chunks are written one by one. */
  body?: string | Uint8Array | readonly Uint8Array[];
}

export interface StubServer {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startStubServer(
  answer: (request: RecordedRequest) => CannedResponse | Promise<CannedResponse> = () => ({}),
): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const target = incoming.url ?? '/';
      const queryStart = target.indexOf('?');
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        target,
        path: queryStart === -1 ? target : target.slice(0, queryStart),
        query: queryStart === -1 ? '' : target.slice(queryStart + 1),
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const response = await answer(recorded);
      outgoing.writeHead(response.status ?? 200, response.headers ?? { 'content-type': 'application/json' });
      const body = response.body ?? '{}';
      if (typeof body === 'string' || body instanceof Uint8Array) {
        outgoing.end(body);
        return;
      }
      for (const chunk of body) outgoing.write(chunk);
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A recorded request as the emulator's SigV4 verifier takes it: the raw path, as AWS checks it. */
export function signedRequestOf(recorded: RecordedRequest): SignedRequest {
  return {
    method: recorded.method,
    path: recorded.path,
    query: recorded.query,
    headers: recorded.headers,
    authority: recorded.headers.host ?? '',
    body: new Uint8Array(recorded.body),
  };
}

/** A recorded request as a web Request, for the emulator's handlers. */
export function webRequestOf(recorded: RecordedRequest, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Request(`${origin}${recorded.target}`, {
    method: recorded.method,
    headers,
    ...(recorded.method === 'GET' ? {} : { body: new Uint8Array(recorded.body) }),
  });
}
