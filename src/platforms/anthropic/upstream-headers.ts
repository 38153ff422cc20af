/**
 * The headers of an upstream request: the forwarded client headers (names
 * lower-cased) with the adapter's own set over them, so a forwarded
 * `Content-Type` or `anthropic-beta` can never contradict what the adapter sends.
 *
 * @example
 * upstreamHeaders({ 'X-Claude-Code-Session-Id': 's1' }, { 'content-type': 'application/json' });
 * // { 'x-claude-code-session-id': 's1', 'content-type': 'application/json' }
 */
export function upstreamHeaders(
  forwarded: Readonly<Record<string, string>> | undefined,
  own: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const headers = forwardedHeaders(forwarded);
  for (const [name, value] of Object.entries(own)) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * Client headers that only one platform reads, and only its adapter sends: the
 * Claude Platform on AWS workspace must not reach another platform (the
 * request may have been routed elsewhere).
 */
const PLATFORM_SCOPED_HEADERS = new Set(['anthropic-workspace-id']);

/** The forwarded client headers, names lower-cased, without the platform-scoped ones. */
export function forwardedHeaders(
  forwarded: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(forwarded ?? {})) {
    const lower = name.toLowerCase();
    if (!PLATFORM_SCOPED_HEADERS.has(lower)) headers[lower] = value;
  }
  return headers;
}
