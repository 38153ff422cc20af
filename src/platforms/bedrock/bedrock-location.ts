import { BEDROCK_REGIONS } from '../../catalog/platforms.js';
import type { PlatformsConfig } from '../../config/schema.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import type { LocationLine } from '../descriptor.js';

/** The AWS region Bedrock is called in, and where that came from. */
export function bedrockLocation(
  settings: PlatformsConfig,
  env: Readonly<Record<string, string | undefined>>,
): LocationLine {
  const bedrock = settings.bedrock ?? {};
  const region = resolveAwsRegion({
    ...(bedrock.region ? { explicit: bedrock.region } : {}),
    ...(bedrock.profile ? { profile: bedrock.profile } : {}),
    env,
  });
  const from = region.source === 'explicit' ? 'platforms.bedrock.region' : region.source;
  if (BEDROCK_REGIONS.includes(region.region)) {
    return { mark: '✓', label: 'region', text: `${region.region} (from ${from})` };
  }
  return {
    mark: '!',
    label: 'region',
    text: `${region.region} (from ${from}) is not a region the catalog knows Bedrock in`,
    fix: 'check the spelling, or set platforms.bedrock.region / AWS_REGION to a Bedrock region such as us-east-1',
  };
}
