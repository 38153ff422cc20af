/**
 * The base64 text of a Bedrock `chunk` payload read straight from its bytes,
 * when the payload is exactly as Bedrock writes it:
 * `{"bytes":"<base64>"}` or `{"bytes":"<base64>","p":"<letters and digits>"}`.
 * That skips a UTF-8 decode and a `JSON.parse` per stream event. Anything
 * else (other keys, whitespace, escapes, another order) gives undefined, and
 * the caller parses the payload as JSON, so the answer never differs from the
 * parse's.
 */

const PREFIX = '{"bytes":"';
const PADDING_KEY = ',"p":"';
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

/**
 * The `bytes` value of a chunk payload written the usual way, or undefined.
 *
 * @example
 * chunkPayloadBase64(Buffer.from('{"bytes":"eyJ0eXBlIjoicGluZyJ9","p":"abc"}')); // 'eyJ0eXBlIjoicGluZyJ9'
 * chunkPayloadBase64(Buffer.from('{ "bytes": "eyJ9" }')); // undefined: parse it as JSON
 */
export function chunkPayloadBase64(payload: Uint8Array): string | undefined {
  const length = payload.length;
  if (!startsWith(payload, 0, PREFIX)) return undefined;
  let index = PREFIX.length;
  while (index < length && isBase64Byte(payload[index] as number)) index++;
  const end = index;
  if (payload[index] !== QUOTE) return undefined;
  index++;
  if (startsWith(payload, index, PADDING_KEY)) {
    index += PADDING_KEY.length;
    while (index < length && isAlphanumeric(payload[index] as number)) index++;
    if (payload[index] !== QUOTE) return undefined;
    index++;
  }
  if (payload[index] !== CLOSE_BRACE || index + 1 !== length) return undefined;
  return Buffer.from(payload.buffer, payload.byteOffset + PREFIX.length, end - PREFIX.length).toString(
    'latin1',
  );
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let index = 0; index < text.length; index++) {
    if (bytes[at + index] !== text.charCodeAt(index)) return false;
  }
  return true;
}

const ALPHANUMERIC = 1;
const BASE64 = 2;
/** Per byte value: ALPHANUMERIC for `A–Z a–z 0–9`, BASE64 for those and `+ / =` (the alphabet and its padding). */
const KIND = new Uint8Array(256);
for (const byte of Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')) {
  KIND[byte] = ALPHANUMERIC | BASE64;
}
for (const byte of Buffer.from('+/=')) KIND[byte] = BASE64;

function isAlphanumeric(byte: number): boolean {
  return ((KIND[byte] as number) & ALPHANUMERIC) !== 0;
}

function isBase64Byte(byte: number): boolean {
  return ((KIND[byte] as number) & BASE64) !== 0;
}
