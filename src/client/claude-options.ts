import { PLATFORMS, type Platform, type Target } from '../catalog/types.js';
import { ConfigError, describeIssues, effectivePlatforms } from '../config/load.js';
import { PLATFORM_CONFIG_KEY, platformSettings } from '../config/platform-settings.js';
import { type PlatformsConfig, platformsSchema } from '../config/schema.js';
import type { RetryOptions } from '../engine/retry.js';
import { parseTarget } from '../engine/targets.js';
import { descriptorOf, PLATFORM_DESCRIPTORS } from '../platforms/descriptors.js';

/** Where the library writes warnings (deprecated models). */
export interface ClaudeLogger {
  warn(message: string): void;
}

/** Upstream timeouts, in milliseconds. */
export interface ClaudeTimeouts {
  /** TCP and TLS connect. */
  connectMs?: number;
  /** From sending the request to the response headers. */
  firstByteMs?: number;
  /** Between two chunks of a streamed answer. */
  idleMs?: number;
}

export interface ClaudeOptions {
  /** One platform for every call. Leave out to give `targets`, or to use every platform in `platforms`. */
  platform?: Platform;
  /** With `platform`: the AWS region (Bedrock) or the location (Vertex: `global`, `us`, `eu`, `us-east5`…). */
  region?: string;
  /** With `platform: 'vertex'`: the Google Cloud project. */
  projectId?: string;
  /** With `platform`: the Anthropic or Foundry API key, or a Bedrock API key. */
  apiKey?: string;
  /**
   * Failover: targets tried in order for every model, as routes write them
   * (`bedrock/global`, `bedrock/eu@eu-west-1`, `vertex/global`, `anthropic`, `foundry`).
   */
  targets?: readonly (string | Target)[];
  /** Settings per platform, the same shapes as the configuration file's `platforms`. */
  platforms?: PlatformsConfig;
  /** How each target is retried before the next one is tried. */
  retry?: RetryOptions;
  timeouts?: ClaudeTimeouts;
  /** Where deprecation warnings go; default `console.warn`. */
  logger?: ClaudeLogger;
  /** The clock deprecations are judged by; default the system clock. */
  now?: () => Date;
  /** The environment platform defaults are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** How a call's targets are chosen: a fixed list, or the best target of each platform for the model. */
export type TargetChoice =
  | { kind: 'fixed'; targets: Target[] }
  | { kind: 'per-platform'; platforms: Platform[] };

/** What the options come to: the platforms to build adapters for, and how targets are chosen. */
export interface ClientSetup {
  platforms: PlatformsConfig;
  choice: TargetChoice;
}

function validated(platforms: unknown, where: string): PlatformsConfig {
  const parsed = platformsSchema.safeParse(platforms ?? {});
  if (!parsed.success) throw new ConfigError(`${where} is not valid:`, describeIssues(parsed.error));
  return parsed.data;
}

/** Whether the platform's `platforms:` section has a setting (`region`, `projectId`, `apiKey`). */
function hasSetting(platform: Platform, name: string): boolean {
  const section = platformsSchema.shape[descriptorOf(platform).configKey];
  return name in section.unwrap().shape;
}

function shorthands(options: ClaudeOptions, platform: Platform): Record<string, string> {
  const settings: Record<string, string> = {};
  const { displayName, configKey } = descriptorOf(platform);
  for (const name of ['region', 'projectId', 'apiKey'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    if (!hasSetting(platform, name)) {
      throw new ConfigError(
        `Claude options: \`${name}\` does not apply to ${displayName}; leave it out (its settings: platforms.${configKey})`,
      );
    }
    settings[name] = value;
  }
  return settings;
}

/**
 * Reads the client options: one platform, a list of failover targets, or
 * every platform given in `platforms` (or found in the environment, as
 * `serve` finds them). Throws ConfigError naming the option that is wrong.
 *
 * @example
 * clientSetup({ platform: 'bedrock', region: 'us-west-2' });
 * // { platforms: { bedrock: { region: 'us-west-2' } }, choice: { kind: 'per-platform', platforms: ['bedrock'] } }
 */
export function clientSetup(options: ClaudeOptions): ClientSetup {
  const given = validated(options.platforms, 'Claude options `platforms`');
  if (options.platform !== undefined) {
    if (!PLATFORMS.includes(options.platform)) {
      throw new ConfigError(
        `Claude options: unknown platform "${String(options.platform)}"; use one of ${PLATFORMS.join(', ')}`,
      );
    }
    if (options.targets !== undefined) {
      throw new ConfigError(
        'Claude options: give either `platform` (one platform) or `targets` (failover), not both',
      );
    }
    const platform = options.platform;
    const key = PLATFORM_CONFIG_KEY[platform];
    const settings = { ...(given[key] ?? {}), ...shorthands(options, platform) };
    return {
      platforms: validated({ [key]: settings }, `Claude options for ${platform}`),
      choice: { kind: 'per-platform', platforms: [platform] },
    };
  }
  for (const name of ['region', 'projectId', 'apiKey'] as const) {
    if (options[name] !== undefined) {
      throw new ConfigError(
        `Claude options: \`${name}\` goes with \`platform\`; with several platforms, set it under platforms.<name>`,
      );
    }
  }
  if (options.targets !== undefined) {
    if (options.targets.length === 0) throw new ConfigError('Claude options: `targets` is empty');
    const defaults = {
      ...(given.bedrock?.region ? { bedrockRegion: given.bedrock.region } : {}),
      ...(given.vertex?.region ? { vertexRegion: given.vertex.region } : {}),
    };
    const targets = options.targets.map((target, index) => {
      if (typeof target !== 'string') return target;
      try {
        return parseTarget(target, defaults);
      } catch (error) {
        throw new ConfigError(`Claude options: targets[${index}]: ${(error as Error).message}`);
      }
    });
    const platforms: PlatformsConfig = { ...given };
    for (const target of targets) platforms[PLATFORM_CONFIG_KEY[target.platform]] ??= {};
    return { platforms, choice: { kind: 'fixed', targets } };
  }
  const fromOptions = Object.keys(given).length > 0;
  const platforms = fromOptions ? given : effectivePlatforms({}, options.env ?? process.env).platforms;
  // In the order given (validation reorders the keys): the first platform is tried first.
  const names = (
    Object.keys(fromOptions ? (options.platforms ?? {}) : platforms) as (keyof PlatformsConfig)[]
  )
    .flatMap((key) =>
      PLATFORM_DESCRIPTORS.filter(
        (descriptor) => descriptor.ownsConfigSection && descriptor.configKey === key,
      ),
    )
    .map((descriptor) => descriptor.name)
    .filter((name) => platformSettings(platforms, name) !== undefined);
  if (names.length === 0) {
    throw new ConfigError(
      "Claude options: say which platform to use, e.g. new Claude({ platform: 'bedrock', region: 'us-west-2' }), " +
        "new Claude({ platform: 'anthropic' }), or new Claude({ targets: ['bedrock/global', 'vertex/global'] }); " +
        'no platform was found in the environment either (AWS_REGION, ANTHROPIC_VERTEX_PROJECT_ID, ANTHROPIC_API_KEY…)',
    );
  }
  return { platforms, choice: { kind: 'per-platform', platforms: names } };
}
