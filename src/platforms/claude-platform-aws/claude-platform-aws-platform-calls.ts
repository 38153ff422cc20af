import { GatewayError } from '../../wire/errors/gateway-error.js';
import type { PlatformCallContext } from '../descriptor.js';
import { missingAdapter } from '../missing-adapter.js';
import { ClaudePlatformAwsAdapter } from './claude-platform-aws-adapter.js';

/** The workspace id and the credentials (a workspace key, or the AWS chain); the first request proves them. */
export async function verifyClaudePlatformAwsPlatform(context: PlatformCallContext): Promise<string> {
  const adapter = context.engine.adapters['claude-platform-aws'];
  if (!(adapter instanceof ClaudePlatformAwsAdapter)) return missingAdapter('claude-platform-aws');
  if (!adapter.workspaceId) {
    throw GatewayError.fromCode(
      'PLATFORM_CREDENTIALS_UNAVAILABLE',
      {
        platform: 'Claude Platform on AWS',
        reason: 'no workspace id: set platforms.claudePlatformAws.workspaceId or ANTHROPIC_AWS_WORKSPACE_ID',
      },
      { platform: 'claude-platform-aws', retryable: false },
    );
  }
  if (adapter.credentials) await adapter.credentials.get();
  return `${adapter.description}, workspace ${adapter.workspaceId}, region ${adapter.region} (the first request proves them)`;
}
