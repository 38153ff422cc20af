/**
 * `additionalModelResponseFieldPaths`: JSON Pointers (RFC 6901) into the
 * model's own answer, returned as an object of the same shape holding only
 * the fields asked for (`/delta/stop_sequence` → `{delta: {stop_sequence}}`).
 */

import { constraintFailed, converseInvalid, listAt, stringAt } from './converse-fields.js';

/** A parsed pointer: its reference tokens, unescaped. */
export type JsonPointer = readonly string[];

/** Parses a pointer; an empty or malformed one is a 400, as Bedrock answers it. */
export function parseJsonPointer(text: string, path: string): JsonPointer {
  if (text === '' || !text.startsWith('/') || /~[^01]|~$/.test(text)) {
    throw converseInvalid(
      `${path} ${JSON.stringify(text)} is not a JSON Pointer: it starts with "/" and escapes "~" and "/" as "~0" and "~1", e.g. "/stop_sequence".`,
    );
  }
  return text
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The request's `additionalModelResponseFieldPaths` (at most 10, each 1 to 256 characters). */
export function responseFieldPaths(value: unknown): JsonPointer[] {
  const field = 'additionalModelResponseFieldPaths';
  const list = listAt(value, field);
  if (list.length > 10) throw constraintFailed(field, 'Member must have length less than or equal to 10');
  return list.map((item, index) => {
    const text = stringAt(item, `${field}.${index}`, 1);
    if (text.length > 256) {
      throw constraintFailed(`${field}.${index}`, 'Member must have length less than or equal to 256');
    }
    return parseJsonPointer(text, `${field}.${index}`);
  });
}

function step(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(token) ? value[Number(token)] : undefined;
  if (value && typeof value === 'object' && Object.hasOwn(value, token)) {
    return (value as Record<string, unknown>)[token];
  }
  return undefined;
}

/**
 * The fields the pointers name, nested as in the document; pointers to
 * nothing are left out (Bedrock ignores them). Undefined when none matched.
 */
export function pickFields(
  document: unknown,
  pointers: readonly JsonPointer[],
): Record<string, unknown> | undefined {
  let picked: Record<string, unknown> | undefined;
  for (const pointer of pointers) {
    if (pointer.length === 0) continue;
    let value: unknown = document;
    for (const token of pointer) value = step(value, token);
    if (value === undefined) continue;
    picked ??= {};
    let target = picked;
    for (const token of pointer.slice(0, -1)) {
      const next = target[token];
      if (next && typeof next === 'object' && !Array.isArray(next)) target = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        target[token] = created;
        target = created;
      }
    }
    target[pointer[pointer.length - 1] as string] = value;
  }
  return picked;
}
