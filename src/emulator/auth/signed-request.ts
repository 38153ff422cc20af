/** Header values as `node:http` gives them, or as a web `Headers` object. */
export type RequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A request exactly as it came over the wire, which is what a signature covers. */
export interface SignedRequest {
  method: string;
  /** The path exactly as the client sent it, not decoded: `/model/us.anthropic.claude-…-v1%3A0/invoke` or with a raw `:`. */
  path: string;
  /** The query string as sent, without the `?`. */
  query: string;
  headers: RequestHeaders;
  /** The `host[:port]` the client addressed: the `Host` header, or `:authority` over HTTP/2. */
  authority?: string;
  body: Uint8Array | string;
}

/**
 * Reads the headers into a map with lower-case names, joining repeated values with `,`.
 *
 * @example
 * normalizeHeaders({ 'X-Amz-Date': '20250101T000000Z' }).get('x-amz-date'); // '20250101T000000Z'
 */
export function normalizeHeaders(headers: RequestHeaders): Map<string, string> {
  const normalized = new Map<string, string>();
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      normalized.set(name.toLowerCase(), value);
    });
    return normalized;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    normalized.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(','));
  }
  return normalized;
}

/**
 * Reads a web `Request` (as `@hono/node-server` builds it) into a {@link SignedRequest}. It consumes the body
 * unless the bytes already read are passed as `body`.
 * The path and query come from `request.url` undecoded; the authority from `Host`, or from the URL when
 * the request came over HTTP/2 (where `:authority` is not among the headers).
 *
 * @example
 * const signed = await signedRequestFromWebRequest(new Request('http://127.0.0.1:4000/model/m:0/invoke', { method: 'POST', body: '{}' }));
 * signed.path; // '/model/m:0/invoke'
 */
export async function signedRequestFromWebRequest(
  request: Request,
  body?: Uint8Array,
): Promise<SignedRequest> {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.startsWith('?') ? url.search.slice(1) : url.search,
    headers: request.headers,
    authority: request.headers.get('host') ?? url.host,
    body: body ?? new Uint8Array(await request.arrayBuffer()),
  };
}
