import { GatewayError } from '../../wire/errors/index.js';

/** The two Vertex methods Claude is called with. */
export type VertexMethod = 'rawPredict' | 'streamRawPredict';

export interface VertexModelPathParts {
  projectId: string;
  location: string;
  /** The Vertex model id (`claude-sonnet-4-5@20250929`), or `count-tokens`. */
  model: string;
  method: VertexMethod;
}

/**
 * The path of a Claude method on Vertex AI (after `/v1`), each segment
 * percent-encoded as the official Vertex SDK (1.1.3) does it: RFC 3986 path
 * characters (`@`, `:` and sub-delims) stay, everything else is encoded, and
 * a `;` in the last segment becomes `%3B` so no server drops the method name.
 * Empty, `.` and `..` segments are refused.
 *
 * @example
 * vertexModelPath({ projectId: 'my-project', location: 'global', model: 'claude-sonnet-4-5@20250929', method: 'streamRawPredict' });
 * // '/projects/my-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict'
 */
export function vertexModelPath(parts: VertexModelPathParts): string {
  const model = encodePathSegment(parts.model, 'model').replaceAll(';', '%3B');
  return (
    `/projects/${encodePathSegment(parts.projectId, 'project')}` +
    `/locations/${encodePathSegment(parts.location, 'location')}` +
    `/publishers/anthropic/models/${model}:${parts.method}`
  );
}

/**
 * One path segment, encoded as the official SDKs encode path parameters.
 *
 * @example
 * encodePathSegment('claude-x@2025', 'model'); // 'claude-x@2025'
 * encodePathSegment('a/b', 'model'); // 'a%2Fb'
 */
export function encodePathSegment(value: string, name: string): string {
  const encoded = value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]+/g, encodeURIComponent);
  if (encoded === '' || encoded.startsWith(';') || /^(?:\.|%2e){1,2}$/i.test(encoded)) {
    throw GatewayError.fromCode('INVALID_REQUEST', {
      reason: `the Vertex AI ${name} ${JSON.stringify(value)} cannot be used in a URL path`,
    });
  }
  return encoded;
}
