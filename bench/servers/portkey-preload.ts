/**
 * Loaded into Portkey's gateway with `node --import` (its own code is run
 * unchanged): reports the port it listens on and answers the bench's IPC.
 *
 * It also works around Portkey-AI/gateway#1389 and #1550: with the
 * `@hono/node-server` npm installs today (≥ 1.14.3; Portkey's own lockfile
 * pins 1.13.5), Portkey appends its `x-portkey-*` headers to the headers of
 * the upstream `fetch` response, which are immutable, so every streaming
 * request fails with `TypeError: immutable`. Here each upstream response is
 * re-wrapped with a mutable copy of its headers, which is the copy
 * `@hono/node-server` 1.13 made itself.
 */
import net from 'node:net';
import { answerParent, reportReady } from './child-ipc.js';

const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  return new NativeResponse(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};

let reported = false;
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  this.once('listening', () => {
    if (reported) return;
    const address = this.address();
    if (address && typeof address === 'object') {
      reported = true;
      reportReady(address.port);
    }
  });
  return (listen as (...rest: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;

answerParent();
