import { HttpTransport } from '../transport.js';

/** What the control-plane calls need of a transport: `HttpTransport`, or a stand-in in tests. */
export type UpstreamSender = Pick<HttpTransport, 'send'>;

/**
 * Runs calls over the given transport, or over a fresh one that is closed
 * afterwards (for one-off calls such as `models` and `doctor`).
 *
 * @example
 * const text = await withTransport(options.transport, async (transport) => (await transport.send(request, 'bedrock')).text());
 */
export async function withTransport<T>(
  transport: UpstreamSender | undefined,
  run: (transport: UpstreamSender) => Promise<T>,
): Promise<T> {
  if (transport) return run(transport);
  const owned = new HttpTransport();
  try {
    return await run(owned);
  } finally {
    await owned.close();
  }
}
