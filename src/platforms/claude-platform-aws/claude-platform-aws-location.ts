import { ENDPOINTS } from '../../catalog/platforms.js';
import type { PlatformsConfig } from '../../config/schema.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import type { LocationLine } from '../descriptor.js';

/** The workspace's region and the endpoint the calls go to. */
export function claudePlatformAwsLocation(
  settings: PlatformsConfig,
  env: Readonly<Record<string, string | undefined>>,
): LocationLine {
  const section = settings.claudePlatformAws ?? {};
  const region = resolveAwsRegion({
    ...(section.region ? { explicit: section.region } : {}),
    ...(section.profile ? { profile: section.profile } : {}),
    env,
  }).region;
  const endpoint = section.endpoint?.replace('{region}', region) ?? ENDPOINTS.claudePlatformAws(region);
  return { mark: '✓', label: 'endpoint', text: `${endpoint} (region ${region})` };
}
