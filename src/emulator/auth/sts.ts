import { randomUUID } from 'node:crypto';
import type { AwsCredentialLookup } from './aws-credentials.js';
import { signedRequestFromWebRequest } from './signed-request.js';
import { verifySigV4 } from './sigv4.js';
import {
  type CallerIdentity,
  callerIdentityXml,
  type StsError,
  stsAuthError,
  stsErrorXml,
} from './sts-responses.js';

export interface StsOptions {
  lookupCredential: AwsCredentialLookup;
  now?: () => Date;
  requestId?: () => string;
}

const stsVersion = '2011-06-15';
const jsonTargetPrefix = 'AWSSecurityTokenServiceV20110615.';

/** How the client encoded the call: the awsQuery form (the default) or awsJson1_0 (`x-amz-target`). */
type StsProtocol = { kind: 'query' } | { kind: 'json'; queryCompatible: boolean };

/**
 * Answers an STS request (`POST /`, signing name `sts`). Supports GetCallerIdentity in both encodings
 * `@aws-sdk/client-sts` can send: the default awsQuery form body `Action=GetCallerIdentity&Version=2011-06-15`
 * answered in XML, and awsJson1_0 (`x-amz-target: AWSSecurityTokenServiceV20110615.GetCallerIdentity`,
 * optionally with `x-amzn-query-mode: true`) answered in JSON.
 *
 * @example
 * app.post('/', (context) => handleStsRequest(context.req.raw, { lookupCredential }));
 */
export async function handleStsRequest(request: Request, options: StsOptions): Promise<Response> {
  const requestId = options.requestId?.() ?? randomUUID();
  const signed = await signedRequestFromWebRequest(request);
  const protocol = detectProtocol(request.headers);
  const verified = await verifySigV4(signed, {
    lookupCredential: options.lookupCredential,
    service: 'sts',
    ...(options.now ? { now: options.now } : {}),
  });
  if (!verified.ok) {
    return errorResponse(stsAuthError(verified.errorType, verified.message), protocol, requestId);
  }
  const identity: CallerIdentity = {
    arn: verified.credential.arn,
    userId: verified.credential.userId,
    account: verified.credential.account,
  };
  if (protocol.kind === 'json') {
    const target = request.headers.get('x-amz-target') ?? '';
    if (target !== `${jsonTargetPrefix}GetCallerIdentity`) {
      const message = `Operation ${target.slice(jsonTargetPrefix.length) || target} is not supported.`;
      return errorResponse(unknownOperation(message), protocol, requestId);
    }
    const body = { Arn: identity.arn, UserId: identity.userId, Account: identity.account };
    return new Response(JSON.stringify(body), {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    });
  }
  const parameters = queryParameters(signed.query, signed.body);
  const action = parameters.get('Action');
  const version = parameters.get('Version');
  if (action !== 'GetCallerIdentity' || version !== stsVersion) {
    const message = `Could not find operation ${action ?? ''} for version ${version ?? 'NO_VERSION_SPECIFIED'}`;
    return errorResponse(
      { code: 'InvalidAction', status: 400, message, jsonType: 'InvalidAction' },
      protocol,
      requestId,
    );
  }
  return new Response(callerIdentityXml(identity, requestId), {
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  });
}

function detectProtocol(headers: Headers): StsProtocol {
  const contentType = headers.get('content-type') ?? '';
  if (headers.has('x-amz-target') || contentType.startsWith('application/x-amz-json')) {
    return { kind: 'json', queryCompatible: headers.get('x-amzn-query-mode') === 'true' };
  }
  return { kind: 'query' };
}

function queryParameters(query: string, body: Uint8Array | string): URLSearchParams {
  const parameters = new URLSearchParams(query);
  const form = typeof body === 'string' ? body : new TextDecoder().decode(body);
  for (const [name, value] of new URLSearchParams(form)) parameters.set(name, value);
  return parameters;
}

function unknownOperation(message: string): StsError {
  return { code: 'InvalidAction', status: 400, message, jsonType: 'UnknownOperationException' };
}

function errorResponse(error: StsError, protocol: StsProtocol, requestId: string): Response {
  if (protocol.kind === 'query') {
    return new Response(stsErrorXml(error, requestId), {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    });
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId,
  };
  if (protocol.queryCompatible) headers['x-amzn-query-error'] = `${error.code};Sender`;
  const body = { __type: `com.amazon.coral.service#${error.jsonType}`, message: error.message };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
