import type { ActivityFilter } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/**
 * The request-list filters beyond time, key and session, from a query string:
 * `model=` (canonical or requested name), `platform=`, `status=429`, `errors=true`.
 *
 * @example
 * activityFilters(new URLSearchParams('model=sonnet&errors=true')) // { model: 'sonnet', errorsOnly: true }
 */
export function activityFilters(query: URLSearchParams): ActivityFilter {
  const filter: ActivityFilter = {};
  const model = query.get('model');
  if (model) filter.model = model;
  const platform = query.get('platform');
  if (platform) filter.platform = platform;
  const status = query.get('status');
  if (status) {
    if (!/^\d{3}$/.test(status)) {
      throw GatewayError.fromCode('INVALID_REQUEST', {
        reason: `status must be an HTTP status such as 429; got "${status}"`,
      });
    }
    filter.status = Number(status);
  }
  if (query.get('errors') === 'true') filter.errorsOnly = true;
  return filter;
}
