/** A token, or a function that gives a fresh one for each request (an Entra ID token provider). */
export type BearerToken = string | (() => string | Promise<string>);

/** How the Anthropic API and Microsoft Foundry are authenticated. */
export type FirstPartyCredentials =
  | { kind: 'api-key'; apiKey: string }
  | { kind: 'bearer'; token: BearerToken };

/**
 * The auth header for first-party credentials: `x-api-key: <key>`, or
 * `Authorization: Bearer <token>` with the token asked for anew each time
 * (a provider caches and refreshes as it likes).
 *
 * @example
 * await firstPartyAuthHeaders({ kind: 'api-key', apiKey: 'sk-ant-…' }); // { 'x-api-key': 'sk-ant-…' }
 */
export async function firstPartyAuthHeaders(
  credentials: FirstPartyCredentials,
): Promise<Record<string, string>> {
  if (credentials.kind === 'api-key') return { 'x-api-key': credentials.apiKey };
  const token = typeof credentials.token === 'string' ? credentials.token : await credentials.token();
  if (typeof token !== 'string' || token === '') throw new Error('the bearer token provider gave no token');
  return { authorization: `Bearer ${token}` };
}
