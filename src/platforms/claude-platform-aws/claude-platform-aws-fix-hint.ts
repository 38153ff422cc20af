import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { ANTHROPIC_KEY, firstPartyHint } from '../anthropic/first-party-fix-hint.js';

/** What to do about a failure on Claude Platform on AWS. */
export function claudePlatformAwsHint(error: GatewayError): string | undefined {
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE' || error.status === 401) {
    return 'set platforms.claudePlatformAws.apiKey (a workspace API key) or AWS credentials for SigV4, and the workspaceId';
  }
  if (error.status === 403) {
    return 'grant aws-external-anthropic:CreateInference on the workspace, and check that the workspace is in this region';
  }
  return firstPartyHint(ANTHROPIC_KEY, 'the API does not know this model id', error);
}
