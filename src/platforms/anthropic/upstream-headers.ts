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
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(forwarded ?? {})) headers[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(own)) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}
