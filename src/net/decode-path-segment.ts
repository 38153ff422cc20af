/**
 * A path segment decoded (`%3A` → `:`), or as sent when it is not valid
 * percent-encoding: a request with a stray `%` still gets a clear answer
 * about the model it names rather than a decoding crash.
 *
 * @example
 * decodePathSegment('us.anthropic.claude-sonnet-4-5-20250929-v1%3A0') // 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'
 * decodePathSegment('100%') // '100%'
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
