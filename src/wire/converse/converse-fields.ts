/**
 * Reading a Converse request field by field, each problem a Bedrock
 * `ValidationException` that names the field by its path
 * (`messages.0.content.1.image.format`), the way Bedrock's own messages do.
 */

import { GatewayError } from '../errors/gateway-error.js';

/** Bedrock's answer to a request it cannot take: `ValidationException`, 400, never retried. */
export function converseInvalid(message: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'INVALID_REQUEST',
    platform: 'gateway',
    message,
  });
}

/** AWS's wording for a value outside a shape's constraint. */
export function constraintFailed(path: string, constraint: string, value?: unknown): GatewayError {
  const shown = value === undefined ? '' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return converseInvalid(
    `1 validation error detected: Value${shown} at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A field Claude has no equivalent for: refused, never dropped. */
export function unsupportedField(path: string, why: string): GatewayError {
  return converseInvalid(`The field ${path} is not supported through claude-gateway: ${why}`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON object at `path`, or a ValidationException saying what came instead. */
export function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw converseInvalid(`${path} must be an object, not ${kindOf(value)}.`);
}

/** A list at `path` (with at least `min` members). */
export function listAt(value: unknown, path: string, min = 0): unknown[] {
  if (!Array.isArray(value)) throw converseInvalid(`${path} must be a list, not ${kindOf(value)}.`);
  if (value.length < min) {
    throw constraintFailed(path, `Member must have length greater than or equal to ${min}`);
  }
  return value;
}

/** A string at `path` (at least `min` characters). */
export function stringAt(value: unknown, path: string, min = 0): string {
  if (typeof value !== 'string') throw converseInvalid(`${path} must be a string, not ${kindOf(value)}.`);
  if (value.length < min) {
    throw constraintFailed(path, `Member must have length greater than or equal to ${min}`);
  }
  return value;
}

/** A number at `path` within bounds (whole when `integer`). */
export function numberAt(
  value: unknown,
  path: string,
  bounds: { min?: number; max?: number; integer?: boolean },
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw converseInvalid(`${path} must be a number, not ${kindOf(value)}.`);
  }
  if (bounds.integer && !Number.isInteger(value)) throw converseInvalid(`${path} must be a whole number.`);
  if (bounds.min !== undefined && value < bounds.min) {
    throw constraintFailed(path, `Member must have value greater than or equal to ${bounds.min}`, value);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw constraintFailed(path, `Member must have value less than or equal to ${bounds.max}`, value);
  }
  return value;
}

/** A boolean at `path`. */
export function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean')
    throw converseInvalid(`${path} must be true or false, not ${kindOf(value)}.`);
  return value;
}

/** One of an enum's values at `path`. */
export function enumAt<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw constraintFailed(path, `Member must satisfy enum value set: [${allowed.join(', ')}]`, value);
}

/** Refuses a field the shape does not have, naming it and the fields it does have. */
export function onlyKnownFields(
  object: Record<string, unknown>,
  path: string,
  known: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw converseInvalid(
        `Unknown field ${path ? `${path}.` : ''}${key}: ${what} has the fields ${known.join(', ')}.`,
      );
    }
  }
}

/**
 * The one member a Converse union sets (a content block is exactly one of
 * text, image, document…): its name and value, or a ValidationException.
 */
export function unionMember(
  value: unknown,
  path: string,
  members: readonly string[],
  what: string,
): [string, unknown] {
  const object = objectAt(value, path);
  const keys = Object.keys(object).filter((key) => object[key] !== undefined && object[key] !== null);
  for (const key of keys) {
    if (!members.includes(key)) {
      throw converseInvalid(`Unknown field ${path}.${key}: ${what} is one of ${members.join(', ')}.`);
    }
  }
  const [first, second] = keys;
  if (first === undefined) {
    throw converseInvalid(`${path} is empty: ${what} sets exactly one of ${members.join(', ')}.`);
  }
  if (second !== undefined) {
    throw converseInvalid(
      `${path} sets both ${first} and ${second}: ${what} sets exactly one of ${members.join(', ')}.`,
    );
  }
  return [first, object[first]];
}

/** Base64 text as the AWS SDK sends a blob, checked (not decoded). */
export function base64At(value: unknown, path: string): string {
  const text = stringAt(value, path, 1);
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(text)) {
    throw converseInvalid(`${path} must be base64-encoded bytes (the AWS SDKs encode blobs this way).`);
  }
  return text;
}
