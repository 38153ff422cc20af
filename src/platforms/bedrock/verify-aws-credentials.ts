import { ENDPOINTS } from '../../catalog/platforms.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { toAwsCredentialSource } from '../aws/aws-authorizer.js';
import type { AwsCredentialSource, AwsCredentialSourceOptions } from '../aws/aws-credential-source.js';
import type { AwsCredentials } from '../aws/aws-credentials.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { signAwsRequest } from '../aws/aws-sign.js';
import { type UpstreamSender, withTransport } from '../aws/aws-transport.js';

export interface VerifyAwsCredentialsOptions {
  region: string;
  /** The STS endpoint, a URL that may contain `{region}`; default `https://sts.{region}.amazonaws.com`. */
  endpoint?: string;
  /** A credential source, fixed credentials, or options for one; the default chain when absent. */
  credentials?: AwsCredentialSource | AwsCredentials | AwsCredentialSourceOptions;
  transport?: UpstreamSender;
  signal?: AbortSignal;
}

/** Who the credentials belong to, as STS GetCallerIdentity says. */
export interface AwsCallerIdentity {
  arn: string;
  userId: string;
  account: string;
}

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
]);

/**
 * Checks AWS credentials as `aws sts get-caller-identity` does: STS
 * GetCallerIdentity (`POST /`, form `Action=GetCallerIdentity&Version=2011-06-15`,
 * SigV4 with signing name `sts`). Returns the identity, or throws a
 * GatewayError that keeps STS's message and says what to check.
 *
 * @example
 * const identity = await verifyAwsCredentials({ region: 'us-east-1', credentials: { profile: 'dev' } });
 * identity.arn; // 'arn:aws:sts::123456789012:assumed-role/Developer/me'
 */
export async function verifyAwsCredentials(options: VerifyAwsCredentialsOptions): Promise<AwsCallerIdentity> {
  const source = toAwsCredentialSource(options.credentials);
  const request = await signAwsRequest(
    {
      method: 'POST',
      url: `${awsEndpoint(options.endpoint, options.region, ENDPOINTS.sts)}/`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: STS_BODY,
    },
    { service: 'sts', region: options.region, credentials: await source.get() },
  );
  const { status, text, requestId } = await withTransport(options.transport, async (transport) => {
    const response = await transport.send(request, 'bedrock', options.signal);
    return {
      status: response.status,
      text: await response.text(),
      requestId: response.headers.get('x-amzn-requestid'),
    };
  });
  if (status !== 200) throw stsError(status, text, requestId ?? undefined, source.description);
  const result = xmlElement(text, 'GetCallerIdentityResult') ?? text;
  const arn = xmlElement(result, 'Arn');
  const userId = xmlElement(result, 'UserId');
  const account = xmlElement(result, 'Account');
  if (arn === undefined || userId === undefined || account === undefined) {
    throw new GatewayError({
      status: 502,
      type: 'api_error',
      platform: 'bedrock',
      message: `STS GetCallerIdentity answered without Arn, UserId and Account: ${text.slice(0, 200)}`,
    });
  }
  return { arn, userId, account };
}

function stsError(
  status: number,
  text: string,
  requestId: string | undefined,
  description: string,
): GatewayError {
  const code = xmlElement(text, 'Code');
  const message = xmlElement(text, 'Message') ?? (text.trim().slice(0, 300) || `HTTP ${status}`);
  const credentialProblem = code !== undefined && CREDENTIAL_CODES.has(code);
  const hint = credentialProblem
    ? `The AWS credentials (${description}) were rejected: check the keys, or refresh them ` +
      '(`aws sso login --profile <name>` for SSO profiles).'
    : `The AWS credentials come from ${description}.`;
  return new GatewayError({
    status,
    ...(credentialProblem ? { type: 'authentication_error' as const } : {}),
    ...(code === 'AccessDenied' ? { type: 'permission_error' as const } : {}),
    platform: 'bedrock',
    ...(code === undefined ? {} : { upstreamCode: code }),
    ...(requestId === undefined ? {} : { requestId }),
    message: `STS GetCallerIdentity failed: ${withoutFinalPeriod(message)}${code === undefined ? '' : ` (${code})`}. ${hint}`,
  });
}

function withoutFinalPeriod(text: string): string {
  return text.trim().replace(/\.$/, '');
}

/** The text of the first `<name>…</name>` element, entities decoded. */
function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : decodeXmlEntities(match[1].trim());
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlEntities(text: string): string {
  return text.replace(
    /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-f]+));/gi,
    (entity: string, named?: string, decimal?: string, hex?: string) => {
      if (named) return XML_ENTITIES[named.toLowerCase()] ?? entity;
      const code = decimal ? Number(decimal) : Number.parseInt(hex ?? '', 16);
      return Number.isFinite(code) ? String.fromCodePoint(code) : entity;
    },
  );
}
