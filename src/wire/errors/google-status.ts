/**
 * The `google.rpc.Code` names and the HTTP status Google's JSON APIs answer
 * each with (google/rpc/code.proto). In an error body, `error.code` is that
 * HTTP status and `error.status` the name.
 */

export const GOOGLE_STATUS_CODES = {
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
} as const satisfies Record<string, number>;

/** A `google.rpc.Code` name, such as `'RESOURCE_EXHAUSTED'`. */
export type GoogleStatusName = keyof typeof GOOGLE_STATUS_CODES;

/** For a bare HTTP status: the name it most often stands for (several names share 400, 409 and 500). */
const NAME_FOR_HTTP_STATUS: Readonly<Record<number, GoogleStatusName>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * Whether a string is a `google.rpc.Code` name.
 *
 * @example
 * isGoogleStatusName('UNAVAILABLE'); // true
 */
export function isGoogleStatusName(name: string): name is GoogleStatusName {
  return Object.hasOwn(GOOGLE_STATUS_CODES, name);
}

/**
 * The status name for an HTTP status that came without one: the mapped name,
 * else INVALID_ARGUMENT for other 4xx and INTERNAL for anything else.
 *
 * @example
 * googleStatusNameForHttpStatus(429); // 'RESOURCE_EXHAUSTED'
 * googleStatusNameForHttpStatus(418); // 'INVALID_ARGUMENT'
 */
export function googleStatusNameForHttpStatus(status: number): GoogleStatusName {
  const name = NAME_FOR_HTTP_STATUS[status];
  if (name) return name;
  return status >= 400 && status < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL';
}
