/** A value JSON text can hold, as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object, as `JSON.parse` returns it. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Sets a member the way `JSON.parse` does: as an own, enumerable property,
 * also for the key `__proto__` (a plain assignment would change the prototype).
 *
 * @example
 * const object: JsonObject = {};
 * setMember(object, '__proto__', 1); // Object.keys(object) → ['__proto__']
 */
export function setMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * A JSON path for messages: `$`, `$.lines_of_text[3]`, `$["a key"]`.
 *
 * @example
 * formatJsonPath(['lines_of_text', 3]); // '$.lines_of_text[3]'
 */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let text = '$';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) text += `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}
