import { CLAUDE_PLATFORM_AWS_SIGNING_NAME, ENDPOINTS, WORKSPACE_ID_HEADER } from '../../catalog/platforms.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { FirstPartyAdapter } from '../anthropic/first-party-adapter.js';
import { toAwsCredentialSource } from '../aws/aws-authorizer.js';
import type { AwsCredentialSource, AwsCredentialSourceOptions } from '../aws/aws-credential-source.js';
import type { AwsCredentials } from '../aws/aws-credentials.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import { signAwsRequest } from '../aws/aws-sign.js';
import type { BetaMemory } from '../betas.js';
import type { MessagesCall, UpstreamRequest } from '../types.js';

/** The environment variables the Anthropic SDKs' Claude-on-AWS clients read. */
export const CLAUDE_PLATFORM_AWS_API_KEY_VARIABLE = 'ANTHROPIC_AWS_API_KEY';
export const CLAUDE_PLATFORM_AWS_WORKSPACE_VARIABLE = 'ANTHROPIC_AWS_WORKSPACE_ID';

export interface ClaudePlatformAwsAdapterOptions {
  /** The workspace's region (a workspace is bound to one); default AWS_REGION → AWS_DEFAULT_REGION → the profile's → us-east-1. */
  region?: string;
  /** `wrkspc_…`; default ANTHROPIC_AWS_WORKSPACE_ID. A client's own `anthropic-workspace-id` header wins. */
  workspaceId?: string;
  /** A workspace API key (`Authorization: Bearer`); default ANTHROPIC_AWS_API_KEY; `null` for SigV4 only. */
  apiKey?: string | null;
  /** The AWS profile for SigV4 credentials and the default region. */
  profile?: string;
  /** SigV4 credentials: a source, fixed keys, or options for the default chain. */
  credentials?: AwsCredentialSource | AwsCredentials | AwsCredentialSourceOptions;
  /** Replaces `https://aws-external-anthropic.{region}.api.aws`; may contain `{region}`. */
  endpoint?: string;
  env?: Readonly<Record<string, string | undefined>>;
  betaMemory?: BetaMemory;
}

/**
 * Claude Platform on AWS: the Anthropic-operated Claude API at
 * `https://aws-external-anthropic.{region}.api.aws/v1/messages`, first-party
 * model ids and betas, SSE, with the required `anthropic-workspace-id` header
 * and SigV4 (signing name `aws-external-anthropic`, the AWS default chain) or a
 * workspace API key as a bearer token.
 * Sources: https://docs.aws.amazon.com/claude-platform/latest/userguide/making-requests.html,
 * https://docs.aws.amazon.com/claude-platform/latest/userguide/authentication.html,
 * https://platform.claude.com/docs/en/build-with-claude/claude-platform-on-aws
 *
 * @example
 * const adapter = new ClaudePlatformAwsAdapter({ region: 'us-west-2', workspaceId: 'wrkspc_01AbCd' });
 * const { request } = adapter.prepareMessages(call, target); // POST https://aws-external-anthropic.us-west-2.api.aws/v1/messages
 */
export class ClaudePlatformAwsAdapter extends FirstPartyAdapter {
  readonly region: string;
  readonly workspaceId: string | undefined;
  /** `api-key` with a workspace API key, else `sigv4`. */
  readonly mode: 'api-key' | 'sigv4';
  private readonly source: () => AwsCredentialSource;

  constructor(options: ClaudePlatformAwsAdapterOptions = {}) {
    const env = options.env ?? process.env;
    const region = resolveAwsRegion({
      ...(options.region === undefined ? {} : { explicit: options.region }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      env,
    }).region;
    const workspaceId =
      options.workspaceId ?? env[CLAUDE_PLATFORM_AWS_WORKSPACE_VARIABLE]?.trim() ?? undefined;
    const apiKey =
      options.apiKey === null
        ? undefined
        : (options.apiKey ?? env[CLAUDE_PLATFORM_AWS_API_KEY_VARIABLE]?.trim());
    let cached: AwsCredentialSource | undefined;
    const source = () => {
      cached ??= toAwsCredentialSource(
        options.credentials ??
          (options.profile === undefined ? undefined : { profile: options.profile, region }),
        env,
      );
      return cached;
    };
    const baseUrl = awsEndpoint(options.endpoint, region, ENDPOINTS.claudePlatformAws);
    super({
      platform: 'claude-platform-aws',
      baseUrl,
      credentials: undefined,
      authorizeRequest: async (request) => {
        if (!hasWorkspace(request)) throw missingWorkspace();
        if (apiKey) return withWorkspaceApiKey(request, apiKey);
        return signAwsRequest(request, {
          service: CLAUDE_PLATFORM_AWS_SIGNING_NAME,
          region,
          credentials: await source().get(),
        });
      },
      platformHeaders: (call) => ({ [WORKSPACE_ID_HEADER]: clientWorkspace(call) ?? workspaceId }),
      missingCredentials:
        'no workspace API key and no AWS credentials were found (platforms.claudePlatformAws)',
      authenticationHint:
        'check the workspace API key (platforms.claudePlatformAws.apiKey or ANTHROPIC_AWS_API_KEY), or that the AWS ' +
        'identity may call aws-external-anthropic:CreateInference on the workspace in this region',
      ...(options.betaMemory ? { betaMemory: options.betaMemory } : {}),
    });
    this.region = region;
    this.workspaceId = workspaceId;
    this.mode = apiKey ? 'api-key' : 'sigv4';
    this.source = source;
  }

  /** Where the credentials come from, for `doctor`. */
  get description(): string {
    return this.mode === 'api-key' ? 'workspace API key' : this.source().description;
  }

  /** The SigV4 credential source (absent with an API key). */
  get credentials(): AwsCredentialSource | undefined {
    return this.mode === 'api-key' ? undefined : this.source();
  }
}

/** The workspace a client named itself (Claude Code in front of Claude Platform on AWS forwards it). */
function clientWorkspace(call: MessagesCall): string | undefined {
  for (const [name, value] of Object.entries(call.forwardHeaders ?? {})) {
    if (name.toLowerCase() === WORKSPACE_ID_HEADER && value.trim()) return value.trim();
  }
  return undefined;
}

function hasWorkspace(request: UpstreamRequest): boolean {
  return Boolean(request.headers[WORKSPACE_ID_HEADER]);
}

function missingWorkspace(): GatewayError {
  return GatewayError.fromCode(
    'PLATFORM_CREDENTIALS_UNAVAILABLE',
    {
      platform: 'Claude Platform on AWS',
      reason:
        'no workspace id: set platforms.claudePlatformAws.workspaceId or ANTHROPIC_AWS_WORKSPACE_ID ' +
        '(every request needs the anthropic-workspace-id header)',
    },
    { platform: 'claude-platform-aws', retryable: false },
  );
}

/** The request with the workspace API key as a bearer token (how the Anthropic SDKs send it) and no SigV4 headers. */
function withWorkspaceApiKey(request: UpstreamRequest, apiKey: string): UpstreamRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (
      !['authorization', 'x-api-key', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'].includes(
        lower,
      )
    )
      headers[lower] = value;
  }
  headers['authorization'] = `Bearer ${apiKey}`;
  return { ...request, headers };
}
