/** Google token endpoints that google-auth-library calls whatever a credential's `token_uri` says. */
const googleTokenEndpoints: ReadonlyMap<string, string> = new Map([
  ['https://oauth2.googleapis.com/token', '/token'],
  ['https://www.googleapis.com/oauth2/v4/token', '/token'],
  ['https://accounts.google.com/o/oauth2/token', '/token'],
]);

/**
 * A `fetch` that sends Google's token-endpoint requests to the emulator and everything else on unchanged.
 * google-auth-library 10 posts service-account JWTs and refresh tokens to `https://oauth2.googleapis.com/token`
 * no matter what the credential file's `token_uri` says, so a client that should use the emulator's token
 * endpoint needs this as its transporter's `fetchImplementation`.
 *
 * @example
 * const auth = new GoogleAuth({
 *   credentials: serviceAccountJson(account, 'http://127.0.0.1:4000/token'),
 *   scopes: 'https://www.googleapis.com/auth/cloud-platform',
 *   clientOptions: { transporterOptions: { fetchImplementation: createGoogleTokenRedirectFetch('http://127.0.0.1:4000') } },
 * });
 */
export function createGoogleTokenRedirectFetch(
  emulatorOrigin: string,
  baseFetch: typeof fetch = fetch,
): typeof fetch {
  const origin = emulatorOrigin.replace(/\/+$/, '');
  const redirected: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    const parsed = new URL(url);
    const path = googleTokenEndpoints.get(`${parsed.origin}${parsed.pathname}`);
    if (path === undefined) return baseFetch(input, init);
    const target = `${origin}${path}${parsed.search}`;
    return baseFetch(input instanceof Request ? new Request(target, input) : target, init);
  };
  return redirected;
}
