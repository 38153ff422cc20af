import type { Platform } from '../catalog/types.js';
import { PLATFORM_DESCRIPTORS } from '../platforms/descriptors.js';
import type { PlatformsConfig } from './schema.js';

/**
 * The `platforms:` key that configures each platform (its descriptor's `configKey`). Bedrock's Messages API
 * (`bedrock-messages`) reuses the `bedrock` section (credentials, region,
 * `messagesHost`); Claude Platform on AWS is `claudePlatformAws`.
 */
export const PLATFORM_CONFIG_KEY: Readonly<Record<Platform, keyof PlatformsConfig>> = Object.fromEntries(
  PLATFORM_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor.configKey]),
) as Record<Platform, keyof PlatformsConfig>;

/**
 * A platform's section of the configuration, or undefined when it is not configured.
 *
 * @example
 * platformSettings({ bedrock: { region: 'eu-west-1' } }, 'bedrock-messages'); // { region: 'eu-west-1' }
 */
export function platformSettings(platforms: PlatformsConfig, platform: Platform): object | undefined {
  return platforms[PLATFORM_CONFIG_KEY[platform]];
}

/**
 * The platforms with a section of their own in the configuration, in PLATFORMS
 * order. `bedrock-messages` shares `bedrock`'s section, so it is left out here:
 * routes name it in their targets.
 *
 * @example
 * platformsWithSettings({ bedrock: {}, claudePlatformAws: { workspaceId: 'wrkspc_1' } }); // ['bedrock', 'claude-platform-aws']
 */
export function platformsWithSettings(platforms: PlatformsConfig): Platform[] {
  return PLATFORM_DESCRIPTORS.filter(
    (descriptor) =>
      descriptor.ownsConfigSection && platformSettings(platforms, descriptor.name) !== undefined,
  ).map((descriptor) => descriptor.name);
}
