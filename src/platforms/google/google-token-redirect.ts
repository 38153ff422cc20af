/** Google's own OAuth token endpoints, which google-auth-library posts to whatever a credential file says. */
export const GOOGLE_TOKEN_ENDPOINTS: readonly string[] = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];

/**
 * A `fetch` that sends requests for Google's token endpoints to `tokenUrl`
 * and every other request on unchanged.
 *
 * google-auth-library 10 posts a service account's signed JWT to
 * `https://oauth2.googleapis.com/token` whatever the key file's `token_uri`
 * says (gtoken's `GOOGLE_TOKEN_URL` is a constant), and a gcloud user's
 * refresh token there too; this is how a token endpoint of our choice (the
 * emulator, a proxy, a test stub) is reached. It is installed as the auth
 * client's `transporterOptions.fetchImplementation`, which carries only
 * token requests (the metadata server is reached by gcp-metadata, through
 * `GCE_METADATA_HOST`).
 *
 * @example
 * const auth = new GoogleAuth({
 *   credentials,
 *   clientOptions: { transporterOptions: { fetchImplementation: redirectGoogleTokenRequests('http://127.0.0.1:4000/token') } },
 * });
 */
export function redirectGoogleTokenRequests(tokenUrl: string, baseFetch: typeof fetch = fetch): typeof fetch {
  const redirected: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (!isGoogleTokenEndpoint(url)) return baseFetch(input, init);
    const target = new URL(tokenUrl);
    const search = new URL(url).search;
    if (search) target.search = search;
    return baseFetch(input instanceof Request ? new Request(target, input) : target, init);
  };
  return redirected;
}

/**
 * Whether a URL is one of Google's own token endpoints.
 *
 * @example
 * isGoogleTokenEndpoint('https://oauth2.googleapis.com/token'); // true
 */
export function isGoogleTokenEndpoint(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return GOOGLE_TOKEN_ENDPOINTS.includes(`${parsed.origin}${parsed.pathname}`);
}
