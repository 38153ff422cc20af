/**
 * A gateway token's shape: three base64url parts, the first a JSON header (`eyJ`). Its own
 * file, so telling a token from a key does not load jose (only verifying one does).
 */
export function looksLikeJwt(credential: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(credential);
}
