import { describe, expect, it } from 'vitest';
import { BEDROCK_PADDING_ALPHABET, decodeBedrockFrame, encodeBedrockChunk } from './bedrock-chunk.js';
import { chunkPayloadBase64 } from './bedrock-chunk-payload.js';

const EVENT = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo \\"x\\""}}';
const BASE64 = Buffer.from(EVENT).toString('base64');

function payload(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text));
}

describe('chunkPayloadBase64', () => {
  it("reads Bedrock's own payloads, with every padding length and none", () => {
    for (let length = 0; length <= BEDROCK_PADDING_ALPHABET.length; length++) {
      const padding = BEDROCK_PADDING_ALPHABET.slice(0, length);
      expect(chunkPayloadBase64(payload(`{"bytes":"${BASE64}","p":"${padding}"}`))).toBe(BASE64);
    }
    expect(chunkPayloadBase64(payload(`{"bytes":"${BASE64}"}`))).toBe(BASE64);
    expect(chunkPayloadBase64(payload('{"bytes":""}'))).toBe('');
  });

  it('reads a payload inside a larger buffer', () => {
    const whole = Buffer.from(`xx{"bytes":"${BASE64}","p":"ab"}yy`);
    expect(chunkPayloadBase64(whole.subarray(2, whole.length - 2))).toBe(BASE64);
  });

  it.each([
    ['whitespace', `{ "bytes":"${BASE64}"}`],
    ['whitespace at the end', `{"bytes":"${BASE64}"} `],
    ['another key first', `{"p":"ab","bytes":"${BASE64}"}`],
    ['another key', `{"bytes":"${BASE64}","q":"ab"}`],
    ['an escape', `{"bytes":"${BASE64.slice(0, 4)}\\/${BASE64.slice(4)}"}`],
    ['a padding with other characters', `{"bytes":"${BASE64}","p":"a-b"}`],
    ['a key given twice', `{"bytes":"${BASE64}","bytes":"eyJ9"}`],
    ['bytes not a string', '{"bytes":12}'],
    ['no closing brace', `{"bytes":"${BASE64}"`],
    ['not JSON', 'nope'],
  ])('leaves a payload with %s to the JSON parse', (_name, text) => {
    expect(chunkPayloadBase64(payload(text))).toBeUndefined();
  });
});

describe('decodeBedrockFrame with payloads read either way', () => {
  it('gives the same event for a payload Bedrock wrote and one written otherwise', () => {
    const written = decodeBedrockFrame(encodeBedrockChunk(EVENT, { paddingLength: 5 }));
    const other = decodeBedrockFrame({
      headers: encodeBedrockChunk(EVENT).headers,
      body: payload(`{ "p" : "abc", "bytes" : "${BASE64.replaceAll('/', '\\/')}" }`),
    });
    expect(written).toEqual({ kind: 'event', event: JSON.parse(EVENT), json: EVENT });
    expect(other).toEqual(written);
  });
});
