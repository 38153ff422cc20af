/**
 * The base URL of an AWS endpoint for a region: the override (a URL that may
 * contain `{region}`, for the emulator, VPC endpoints and proxies) or the
 * public default, without a trailing slash.
 *
 * @example
 * awsEndpoint(undefined, 'eu-west-1', (region) => `https://bedrock-runtime.${region}.amazonaws.com`);
 * // 'https://bedrock-runtime.eu-west-1.amazonaws.com'
 * awsEndpoint('http://127.0.0.1:4000/{region}/', 'eu-west-1', defaultUrl); // 'http://127.0.0.1:4000/eu-west-1'
 */
export function awsEndpoint(
  override: string | undefined,
  region: string,
  defaultFor: (region: string) => string,
): string {
  const base = override ? override.replaceAll('{region}', region) : defaultFor(region);
  return base.replace(/\/+$/, '');
}
