/**
 * A first-party path under a base URL that may carry a path of its own and
 * a trailing slash (Foundry's `https://{resource}.services.ai.azure.com/anthropic/`).
 *
 * @example
 * firstPartyUrl('https://r.services.ai.azure.com/anthropic/', '/v1/messages');
 * // 'https://r.services.ai.azure.com/anthropic/v1/messages'
 */
export function firstPartyUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
