import type { Platform } from '../catalog/types.js';
import { anthropicDescriptor } from './anthropic/descriptor.js';
import { bedrockDescriptor } from './bedrock/descriptor.js';
import { bedrockMessagesDescriptor } from './bedrock-messages/descriptor.js';
import { claudePlatformAwsDescriptor } from './claude-platform-aws/descriptor.js';
import type { PlatformDescriptor } from './descriptor.js';
import { foundryDescriptor } from './foundry/descriptor.js';
import { vertexDescriptor } from './vertex/descriptor.js';

/** Every platform's descriptor, in PLATFORMS order. A new platform adds its descriptor here. */
export const PLATFORM_DESCRIPTORS: readonly PlatformDescriptor[] = [
  anthropicDescriptor,
  bedrockDescriptor,
  bedrockMessagesDescriptor,
  claudePlatformAwsDescriptor,
  vertexDescriptor,
  foundryDescriptor,
];

const BY_NAME = new Map<string, PlatformDescriptor>(
  PLATFORM_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor]),
);

/**
 * The descriptor of a platform: every fact about it in one object.
 *
 * @example
 * descriptorOf('vertex').displayName // 'Vertex AI'
 */
export function descriptorOf(platform: Platform): PlatformDescriptor {
  const descriptor = BY_NAME.get(platform);
  if (!descriptor) throw new Error(`no descriptor for platform "${platform}"`);
  return descriptor;
}

/** The descriptor of a name that may not be a platform (a log row, a target string), or undefined. */
export function findDescriptor(name: string | undefined): PlatformDescriptor | undefined {
  return name === undefined ? undefined : BY_NAME.get(name);
}
