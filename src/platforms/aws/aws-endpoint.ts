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

/** AWS's own Bedrock runtime host, public or FIPS: `bedrock-runtime.{region}.amazonaws.com`. */
const AWS_RUNTIME_HOST = /^(https:\/\/)bedrock-runtime(-fips)?(\.[^/]+\.amazonaws\.com(?:\.cn)?)(\/?)$/;

/**
 * The endpoint for another AWS service Bedrock settings need (`sts` for
 * `doctor`'s GetCallerIdentity, `bedrock` for the control plane's listings):
 * the one configured, else one derived from the runtime endpoint. AWS's own
 * runtime host gives the service's host in the same region
 * (`bedrock-runtime.eu-west-1.amazonaws.com` → `sts.eu-west-1.amazonaws.com`);
 * any other runtime endpoint (the emulator, a proxy, a VPC endpoint) is asked
 * itself, so a check against it never reaches the public AWS endpoints with
 * the credentials. Undefined (the public default) when no runtime endpoint is set.
 *
 * @example
 * awsServiceEndpoint('sts', { endpoint: 'http://127.0.0.1:4010' }); // 'http://127.0.0.1:4010'
 * awsServiceEndpoint('bedrock', { endpoint: 'https://bedrock-runtime.{region}.amazonaws.com' });
 * // 'https://bedrock.{region}.amazonaws.com'
 */
export function awsServiceEndpoint(
  service: 'sts' | 'bedrock',
  settings: {
    endpoint?: string | undefined;
    stsEndpoint?: string | undefined;
    controlEndpoint?: string | undefined;
  },
): string | undefined {
  const configured = service === 'sts' ? settings.stsEndpoint : settings.controlEndpoint;
  if (configured) return configured;
  const runtime = settings.endpoint;
  if (!runtime) return undefined;
  const aws = AWS_RUNTIME_HOST.exec(runtime);
  if (aws) return `${aws[1]}${service}${aws[2] ?? ''}${aws[3]}${aws[4]}`;
  return runtime;
}
