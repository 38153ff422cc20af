import {
  type AnthropicApiKeySuccess,
  type AnthropicAuthFailure,
  verifyAnthropicApiKey,
} from './anthropic-api-key.js';
import type { AwsAuthFailure } from './aws-auth-failure.js';
import {
  type AwsCredentialInput,
  type AwsCredentialRecord,
  awsCredentialRecord,
  emulatorAwsCredential,
} from './aws-credentials.js';
import { type BedrockCaller, verifyBedrockRequest } from './bedrock-auth.js';
import { type EmulatorCredentials, resolveEmulatorCredentials } from './emulator-credentials.js';
import {
  type AuthorizedUser,
  type AuthorizedUserJson,
  authorizedUserJson,
  emulatorAuthorizedUser,
} from './google-authorized-user.js';
import { createIdTokenSigner } from './google-id-token.js';
import { handleMetadataRequest } from './google-metadata-server.js';
import {
  createEmulatorServiceAccount,
  type EmulatorServiceAccount,
  type ServiceAccountJson,
  ServiceAccountRegistry,
  serviceAccountJson,
} from './google-service-account.js';
import { handleGoogleTokenRequest } from './google-token-endpoint.js';
import { type GoogleAuthFailure, type GoogleBearerSuccess, GoogleTokenIssuer } from './google-tokens.js';
import type { RequestHeaders, SignedRequest } from './signed-request.js';
import { type SigV4Success, verifySigV4 } from './sigv4.js';
import { handleStsRequest } from './sts.js';

export interface EmulatorAuthOptions {
  credentials?: Partial<EmulatorCredentials>;
  /** The clock for signature windows and token lifetimes. */
  now?: () => Date;
}

/** Every credential check of the emulator, wired to one set of credentials. */
export interface EmulatorAuth {
  readonly credentials: EmulatorCredentials;
  /** The emulator's own service account (its key pair is made at start). */
  readonly serviceAccount: EmulatorServiceAccount;
  /** Service accounts whose JWTs are accepted; register more with `serviceAccounts.register(email, publicKey)`. */
  readonly serviceAccounts: ServiceAccountRegistry;
  /** User credentials accepted with grant `refresh_token`; push more to accept them. */
  readonly authorizedUsers: AuthorizedUser[];
  readonly googleTokens: GoogleTokenIssuer;
  lookupAwsCredential(accessKeyId: string): AwsCredentialRecord | undefined;
  /** Accepts another AWS credential, e.g. a temporary one with a session token. */
  addAwsCredential(input: Omit<AwsCredentialInput, 'account'> & { account?: string }): AwsCredentialRecord;
  /** The service-account key file to give Google clients. */
  serviceAccountJson(tokenUri: string): ServiceAccountJson;
  /** The `authorized_user` ADC file to give Google clients. */
  authorizedUserJson(): AuthorizedUserJson;
  verifyBedrockRequest(request: SignedRequest): Promise<BedrockCaller | AwsAuthFailure>;
  /** A SigV4 signature for one of the given signing names (`bedrock-mantle`, `aws-external-anthropic`). */
  verifySigV4(request: SignedRequest, services: readonly string[]): Promise<SigV4Success | AwsAuthFailure>;
  verifyGoogleBearer(authorizationHeader: string | null | undefined): GoogleBearerSuccess | GoogleAuthFailure;
  verifyAnthropicApiKey(headers: RequestHeaders): AnthropicApiKeySuccess | AnthropicAuthFailure;
  /** `POST /` on the STS host. */
  handleStsRequest(request: Request): Promise<Response>;
  /** `POST /token`, standing in for `https://oauth2.googleapis.com/token`. */
  handleGoogleTokenRequest(request: Request): Promise<Response>;
  /** `GET /computeMetadata/v1/…`, standing in for the GCE metadata server. */
  handleMetadataRequest(request: Request): Response;
}

/**
 * Creates the emulator's credential checks: SigV4 and Bedrock API keys for AWS, STS, Google's token endpoint
 * and metadata server, Google bearer tokens, Anthropic API keys.
 *
 * @example
 * const auth = createEmulatorAuth({ credentials: { awsAccessKeyId: 'AKIDTEST' } });
 * app.post('/token', (context) => auth.handleGoogleTokenRequest(context.req.raw));
 * const caller = await auth.verifyBedrockRequest(await signedRequestFromWebRequest(context.req.raw));
 */
export function createEmulatorAuth(options: EmulatorAuthOptions = {}): EmulatorAuth {
  const credentials = resolveEmulatorCredentials(options.credentials);
  const now = options.now ?? (() => new Date());
  const awsCredentials = new Map<string, AwsCredentialRecord>();
  const ownAwsCredential = emulatorAwsCredential(credentials);
  awsCredentials.set(ownAwsCredential.accessKeyId, ownAwsCredential);
  const lookupAwsCredential = (accessKeyId: string) => awsCredentials.get(accessKeyId);

  const serviceAccount = createEmulatorServiceAccount({
    projectId: credentials.vertexProjectId,
    email: credentials.googleServiceAccountEmail,
  });
  const serviceAccounts = new ServiceAccountRegistry();
  serviceAccounts.register(serviceAccount.email, serviceAccount.publicKey, serviceAccount.keyId);
  const googleTokens = new GoogleTokenIssuer({ now, serviceAccounts });
  const authorizedUsers = [emulatorAuthorizedUser(credentials)];
  const signIdToken = createIdTokenSigner(serviceAccount, now);

  return {
    credentials,
    serviceAccount,
    serviceAccounts,
    authorizedUsers,
    googleTokens,
    lookupAwsCredential,
    addAwsCredential(input) {
      const record = awsCredentialRecord({ ...input, account: input.account ?? credentials.awsAccountId });
      awsCredentials.set(record.accessKeyId, record);
      return record;
    },
    serviceAccountJson: (tokenUri) => serviceAccountJson(serviceAccount, tokenUri),
    authorizedUserJson: () =>
      authorizedUserJson(emulatorAuthorizedUser(credentials), credentials.vertexProjectId),
    verifyBedrockRequest: (request) =>
      verifyBedrockRequest(request, {
        lookupCredential: lookupAwsCredential,
        apiKeys: [credentials.bedrockApiKey],
        now,
      }),
    verifySigV4: (request, services) =>
      verifySigV4(request, { lookupCredential: lookupAwsCredential, service: services, now }),
    verifyGoogleBearer: (header) => googleTokens.verifyGoogleBearer(header),
    verifyAnthropicApiKey: (headers) => verifyAnthropicApiKey(headers, [credentials.anthropicApiKey]),
    handleStsRequest: (request) => handleStsRequest(request, { lookupCredential: lookupAwsCredential, now }),
    handleGoogleTokenRequest: (request) =>
      handleGoogleTokenRequest(request, {
        issuer: googleTokens,
        serviceAccounts,
        authorizedUsers,
        signIdToken,
        now,
      }),
    handleMetadataRequest: (request) =>
      handleMetadataRequest(request, {
        issuer: googleTokens,
        projectId: credentials.vertexProjectId,
        serviceAccountEmail: serviceAccount.email,
        signIdToken,
      }),
  };
}
