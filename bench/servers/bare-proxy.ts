/**
 * The floor for a Node hop: `node:http` in, an undici keep-alive pool out,
 * no parsing. The request body is streamed up as it arrives and the answer
 * streamed back chunk by chunk; only hop-by-hop headers are dropped.
 *
 * Usage: node bare-proxy.js <upstream origin>
 */
import http from 'node:http';
import { Agent, stream } from 'undici';
import { answerParent, reportFailure, reportReady } from './child-ipc.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

function forwardable(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

const upstream = process.argv[2];
if (!upstream) reportFailure(new Error('usage: bare-proxy <upstream origin>'));
const agent = new Agent({ keepAliveTimeout: 60_000, pipelining: 1 });

const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (request, response) => {
  const method = request.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const abort = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  stream(
    `${upstream}${request.url ?? '/'}`,
    {
      method: method as 'POST',
      headers: forwardable(request.headers),
      body: hasBody ? request : null,
      dispatcher: agent,
      signal: abort.signal,
    },
    ({ statusCode, headers }) => {
      response.writeHead(statusCode, forwardable(headers));
      response.flushHeaders();
      return response;
    },
  ).catch(() => {
    if (!response.headersSent) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end('{"type":"error","error":{"type":"api_error","message":"bare proxy: upstream failed"}}');
    } else {
      response.destroy();
    }
  });
});

try {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  answerParent(async () => {
    server.closeAllConnections();
    server.close();
    await agent.close();
  });
  reportReady((server.address() as { port: number }).port);
} catch (error) {
  reportFailure(error);
}
