import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * HMAC keys as KeyObjects, by their bytes (hex) or text: the secret access
 * key (smithy hashes the credentials with it on every signature) and the
 * signing keys (smithy keeps one per day, region and service). Cleared when
 * full: a key is made again at the cost of one HMAC.
 */
const hmacKeys = new Map<string, KeyObject>();
const MAX_HMAC_KEYS = 64;

/**
 * The HMAC key as a KeyObject, made once per key. `createHmac` given bytes or
 * text first asks whether they are a KeyObject or a CryptoKey, and in Node
 * 24 each of those checks throws and catches an exception when they are not:
 * half an HMAC's time, and a Bedrock request signs with two.
 */
function hmacKey(secret: SourceData): KeyObject {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : (toBuffer(secret) as Buffer);
  const id = bytes.toString('hex');
  let key = hmacKeys.get(id);
  if (!key) {
    if (hmacKeys.size >= MAX_HMAC_KEYS) hmacKeys.clear();
    key = createSecretKey(Buffer.from(bytes));
    hmacKeys.set(id, key);
  }
  return key;
}

/**
 * SHA-256 and HMAC-SHA-256 for `@smithy/signature-v4`, on node:crypto
 * (OpenSSL). The signer's usual `@aws-crypto/sha256-js` is pure JavaScript:
 * hashing a 100 KB body with it cost about 2 ms per request in the
 * benchmark, most of the gateway's Bedrock overhead; OpenSSL does it in a
 * few microseconds.
 */
export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', hmacKey(this.secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  /** For hashes the signer reuses (`reset` is part of smithy's Checksum interface). */
  reset(): void {
    this.hash = this.create();
  }
}
