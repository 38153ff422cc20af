/**
 * A problem with the identity provider, said in terms of the configuration. Its own file, so
 * that code which only recognizes it does not load jose and openid-client (a gateway without
 * sign-in never needs them).
 */
export class IdentityProviderError extends Error {
  override name = 'IdentityProviderError';
}
