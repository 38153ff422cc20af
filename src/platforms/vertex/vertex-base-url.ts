import { ENDPOINTS } from '../../catalog/platforms.js';

/**
 * The base URL Vertex AI's `/projects/…` paths go under, `/v1` included:
 * the public host of the location (`global` → `aiplatform.googleapis.com`,
 * `us`/`eu` → `aiplatform.{us|eu}.rep.googleapis.com`, a region →
 * `{region}-aiplatform.googleapis.com`), or `endpoint` with `{location}`
 * filled in (the emulator, Private Service Connect, a proxy). An endpoint
 * that already ends in `/v1` (as `ANTHROPIC_VERTEX_BASE_URL` does for the
 * official SDK and Claude Code) does not get a second one.
 *
 * @example
 * vertexBaseUrl('us-east5'); // 'https://us-east5-aiplatform.googleapis.com/v1'
 * vertexBaseUrl('eu', 'http://127.0.0.1:4000/{location}'); // 'http://127.0.0.1:4000/eu/v1'
 */
export function vertexBaseUrl(location: string, endpoint?: string): string {
  const base = (endpoint ? endpoint.replaceAll('{location}', location) : ENDPOINTS.vertex(location)).replace(
    /\/+$/,
    '',
  );
  return /\/v1$/.test(base) ? base : `${base}/v1`;
}
