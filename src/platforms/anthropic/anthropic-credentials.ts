import type { FirstPartyCredentials } from './first-party-credentials.js';

export interface AnthropicCredentialOptions {
  /** Sent as `x-api-key`. Default: `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer`. Default: `ANTHROPIC_AUTH_TOKEN` (when no API key is set). */
  authToken?: string;
}

/** Says what to set when no credentials are found. */
export const MISSING_ANTHROPIC_CREDENTIALS =
  'no API key is configured; set `apiKey` for the anthropic platform or the ANTHROPIC_API_KEY environment variable ' +
  '(or an auth token with ANTHROPIC_AUTH_TOKEN)';

/**
 * The Anthropic API credentials: an explicit API key or auth token, else
 * `ANTHROPIC_API_KEY`, else `ANTHROPIC_AUTH_TOKEN`; undefined when none is set.
 *
 * @example
 * anthropicCredentials({ apiKey: 'sk-ant-…' }); // { kind: 'api-key', apiKey: 'sk-ant-…' }
 */
export function anthropicCredentials(
  options: AnthropicCredentialOptions = {},
): FirstPartyCredentials | undefined {
  if (options.apiKey) return { kind: 'api-key', apiKey: options.apiKey };
  if (options.authToken) return { kind: 'bearer', token: options.authToken };
  const apiKey = process.env['ANTHROPIC_API_KEY'];
  if (apiKey) return { kind: 'api-key', apiKey };
  const authToken = process.env['ANTHROPIC_AUTH_TOKEN'];
  if (authToken) return { kind: 'bearer', token: authToken };
  return undefined;
}
