import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type AwsCredentialProvider, type AwsCredentials, isAwsCredentials } from './aws-credentials.js';
import { type AwsCredentialOrigin, awsCredentialsError } from './aws-credentials-error.js';

/** Where AWS credentials come from: static keys, a named profile, a provider of your own, or the default chain. */
export interface AwsCredentialSourceOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** A profile of ~/.aws/config and ~/.aws/credentials (access keys, SSO, role, process, web identity). */
  profile?: string;
  /** Any provider, e.g. one of `@aws-sdk/credential-providers`; takes precedence over the others. */
  provider?: AwsCredentialProvider;
  /** Region for the STS and SSO calls some providers make. */
  region?: string;
  /** How long before `expiration` credentials are refreshed. Default 5 minutes. */
  refreshBeforeExpiryMs?: number;
  /** Shortest time between two refreshes of credentials that are not yet expired. Default 30 seconds. */
  minimumRefreshIntervalMs?: number;
  /** The clock, in epoch milliseconds (tests). */
  now?: () => number;
  /** The environment to read (`AWS_PROFILE`); defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Cached AWS credentials, refreshed ahead of expiry. */
export interface AwsCredentialSource {
  /** Where the credentials come from, for `doctor`: `static keys`, `profile dev`, `default chain`. */
  readonly description: string;
  /** Current credentials; concurrent callers share one refresh. Throws GatewayError PLATFORM_CREDENTIALS_UNAVAILABLE. */
  get(): Promise<AwsCredentials>;
  /** Forgets the cached credentials, e.g. after AWS answered ExpiredTokenException. */
  invalidate(): void;
}

const DEFAULT_REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
const DEFAULT_MINIMUM_REFRESH_INTERVAL_MS = 30 * 1000;

/**
 * A source of AWS credentials that caches them and refreshes them ahead of
 * expiry (5 minutes before `expiration` by default), with concurrent callers
 * sharing one in-flight refresh. The provider is built once: the official
 * Bedrock SDK rebuilds the whole chain on every request.
 *
 * Without keys, profile or provider it uses the AWS default chain
 * (`fromNodeProviderChain`: environment, ~/.aws profiles with SSO, process,
 * web identity, ECS, instance metadata), with environment keys winning even
 * when AWS_PROFILE is set, as in the AWS CLI and the Anthropic SDKs.
 *
 * @example
 * const credentials = createAwsCredentialSource({ profile: 'dev' });
 * const { accessKeyId } = await credentials.get(); // cached until 5 minutes before expiry
 */
export function createAwsCredentialSource(options: AwsCredentialSourceOptions = {}): AwsCredentialSource {
  const { provider, origin, description } = chooseProvider(options);
  return new CachedAwsCredentialSource(provider, origin, description, options);
}

function chooseProvider(options: AwsCredentialSourceOptions): {
  provider: AwsCredentialProvider;
  origin: AwsCredentialOrigin;
  description: string;
} {
  if (options.provider)
    return { provider: options.provider, origin: { kind: 'custom' }, description: 'custom provider' };
  const clientConfig = options.region === undefined ? {} : { clientConfig: { region: options.region } };
  if (options.accessKeyId !== undefined || options.secretAccessKey !== undefined) {
    const credentials = {
      accessKeyId: options.accessKeyId ?? '',
      secretAccessKey: options.secretAccessKey ?? '',
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    };
    if (!isAwsCredentials(credentials)) {
      throw awsCredentialsError(
        { kind: 'static' },
        new Error(options.accessKeyId ? 'the secret access key is missing' : 'the access key id is missing'),
      );
    }
    return { provider: async () => credentials, origin: { kind: 'static' }, description: 'static keys' };
  }
  if (options.profile !== undefined) {
    return {
      provider: lazySdkProvider(async () => {
        const { fromIni } = await loadCredentialProviders();
        return fromIni({ profile: options.profile, ...clientConfig });
      }),
      origin: { kind: 'profile', profile: options.profile },
      description: `profile ${options.profile}`,
    };
  }
  const environmentProfile = (options.env ?? process.env)['AWS_PROFILE'] || undefined;
  return {
    provider: lazySdkProvider(async () => {
      const { createCredentialChain, fromEnv, fromNodeProviderChain } = await loadCredentialProviders();
      return createCredentialChain(fromEnv(), fromNodeProviderChain(clientConfig));
    }),
    origin:
      environmentProfile === undefined
        ? { kind: 'default-chain' }
        : { kind: 'default-chain', environmentProfile },
    description:
      environmentProfile === undefined
        ? 'default chain'
        : `default chain (AWS_PROFILE=${environmentProfile})`,
  };
}

class CachedAwsCredentialSource implements AwsCredentialSource {
  private cached: AwsCredentials | undefined;
  private fetchedAt = 0;
  private inFlight: Promise<AwsCredentials> | undefined;
  private readonly refreshBeforeExpiryMs: number;
  private readonly minimumRefreshIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly provider: AwsCredentialProvider,
    private readonly origin: AwsCredentialOrigin,
    readonly description: string,
    options: AwsCredentialSourceOptions,
  ) {
    this.refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? DEFAULT_REFRESH_BEFORE_EXPIRY_MS;
    this.minimumRefreshIntervalMs = options.minimumRefreshIntervalMs ?? DEFAULT_MINIMUM_REFRESH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<AwsCredentials> {
    const cached = this.cached;
    const now = this.now();
    if (cached && !this.isDue(cached, now)) return cached;
    try {
      return await this.refresh(cached !== undefined);
    } catch (error) {
      // Credentials that still work are better than none while the provider recovers.
      if (cached && !isExpired(cached, this.now())) return cached;
      throw error;
    }
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private isDue(credentials: AwsCredentials, now: number): boolean {
    if (credentials.expiration === undefined) return false;
    if (isExpired(credentials, now)) return true;
    const dueAt = credentials.expiration.getTime() - this.refreshBeforeExpiryMs;
    return now >= dueAt && now - this.fetchedAt >= this.minimumRefreshIntervalMs;
  }

  private refresh(forceRefresh: boolean): Promise<AwsCredentials> {
    if (this.inFlight) return this.inFlight;
    const attempt = this.fetch(forceRefresh).finally(() => {
      if (this.inFlight === attempt) this.inFlight = undefined;
    });
    this.inFlight = attempt;
    return attempt;
  }

  private async fetch(forceRefresh: boolean): Promise<AwsCredentials> {
    let credentials: unknown;
    try {
      credentials = await this.provider(forceRefresh ? { forceRefresh } : undefined);
    } catch (error) {
      throw error instanceof GatewayError ? error : awsCredentialsError(this.origin, error);
    }
    if (!isAwsCredentials(credentials)) {
      throw awsCredentialsError(this.origin, new Error('the provider returned no access key id or secret'));
    }
    this.cached = credentials;
    this.fetchedAt = this.now();
    return credentials;
  }
}

/**
 * An AWS SDK provider as an AwsCredentialProvider: `forceRefresh` reaches the
 * memoizing default chain through the chain's identity properties.
 */
/**
 * `@aws-sdk/credential-providers` (about 10 MB of memory) is loaded on the
 * first credential lookup that needs it, not when the module loads: a gateway
 * with static keys, a Bedrock API key or no Bedrock at all never pays for it.
 */
function loadCredentialProviders() {
  return import('@aws-sdk/credential-providers');
}

/** A provider built on first use (its SDK loaded then), and kept. */
function lazySdkProvider(
  build: () => Promise<(properties?: object) => Promise<AwsCredentials>>,
): AwsCredentialProvider {
  let provider: Promise<(properties?: object) => Promise<AwsCredentials>> | undefined;
  return async (options) => {
    provider ??= build();
    return (await provider)(options);
  };
}

function isExpired(credentials: AwsCredentials, now: number): boolean {
  return credentials.expiration !== undefined && now >= credentials.expiration.getTime();
}
