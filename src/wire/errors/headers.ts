/** Response headers as either a fetch `Headers` or a plain record (Node's `IncomingHttpHeaders`, undici's). */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One header's value, whatever the source and the case of its name; several
 * values are joined with `, ` as fetch does.
 *
 * @example
 * readHeader({ 'X-Amzn-RequestId': 'abc' }, 'x-amzn-requestid'); // 'abc'
 */
export function readHeader(headers: HeaderSource | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}
