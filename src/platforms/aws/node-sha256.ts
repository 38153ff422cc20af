import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * HMAC keys as KeyObjects, by their bytes (hex): the secret access key (smithy
 * hashes the credentials with it on every signature) and the signing keys
 * (smithy keeps one per day, region and service). Cleared when full: a key is
 * made again at the cost of one HMAC.
 */
const hmacKeys = new Map<string, KeyObject>();
const MAX_HMAC_KEYS = 64;
/** The same keys by the text smithy passes (the secret access key): no encoding and hex per signature. */
const textKeys = new Map<string, KeyObject>();
/**
 * The same keys by the array smithy passes (its cached signing key, the same
 * array every time), with a copy of the bytes they were made from: an array
 * changed since is looked up again by its bytes.
 */
const arrayKeys = new WeakMap<object, { bytes: Buffer; key: KeyObject }>();

/**
 * The HMAC key as a KeyObject, made once per key. `createHmac` given bytes or
 * text first asks whether they are a KeyObject or a CryptoKey, and in Node
 * 24 each of those checks throws and catches an exception when they are not:
 * half an HMAC's time, and a Bedrock request signs with two.
 */
function hmacKey(secret: SourceData): KeyObject {
  if (typeof secret === 'string') {
    let key = textKeys.get(secret);
    if (!key) {
      if (textKeys.size >= MAX_HMAC_KEYS) textKeys.clear();
      key = keyOfBytes(Buffer.from(secret, 'utf8'));
      textKeys.set(secret, key);
    }
    return key;
  }
  const bytes = toBuffer(secret) as Buffer;
  const known = arrayKeys.get(secret);
  if (known?.bytes.equals(bytes)) return known.key;
  const key = keyOfBytes(bytes);
  arrayKeys.set(secret, { bytes: Buffer.from(bytes), key });
  return key;
}

function keyOfBytes(bytes: Buffer): KeyObject {
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
  private hash: Hash | Hmac | undefined;
  /** What an HMAC keyed by text was given, kept until the digest in case it was computed before. */
  private pending: Buffer[] | undefined;

  constructor(private readonly secret?: SourceData) {
    if (typeof secret === 'string') this.pending = [];
    else this.hash = this.create();
  }

  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', hmacKey(this.secret));
  }

  update(data: SourceData): void {
    const bytes = toBuffer(data);
    if (this.pending) {
      // Text is copied as bytes: the caller may reuse what it passed.
      this.pending.push(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes));
      return;
    }
    (this.hash ?? this.start()).update(bytes);
  }

  digest(): Promise<Uint8Array> {
    if (this.pending) return Promise.resolve(textKeyedHmac(this.secret as string, this.pending));
    return Promise.resolve(new Uint8Array((this.hash ?? this.start()).digest()));
  }

  /** For hashes the signer reuses (`reset` is part of smithy's Checksum interface). */
  reset(): void {
    if (this.pending) this.pending = [];
    else this.hash = this.create();
  }

  private start(): Hash | Hmac {
    this.hash = this.create();
    return this.hash;
  }
}

/**
 * HMACs keyed by text, by key and data: smithy keys one by the secret access
 * key on every signature, always over the access key id (to name its cache
 * of signing keys), so the answer is the same each time. Cleared when full.
 */
const textKeyedDigests = new Map<string, Map<string, Buffer>>();
/** Longer data is hashed every time: only short, repeated data is worth remembering. */
const MAX_REMEMBERED_DATA = 256;

function textKeyedHmac(secret: string, parts: readonly Buffer[]): Uint8Array {
  const data = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  if (data.byteLength > MAX_REMEMBERED_DATA) {
    return new Uint8Array(createHmac('sha256', hmacKey(secret)).update(data).digest());
  }
  const id = data.toString('latin1');
  let digests = textKeyedDigests.get(secret);
  let digest = digests?.get(id);
  if (!digest) {
    digest = createHmac('sha256', hmacKey(secret)).update(data).digest();
    if (!digests || digests.size >= MAX_HMAC_KEYS) {
      if (textKeyedDigests.size >= MAX_HMAC_KEYS) textKeyedDigests.clear();
      digests = new Map();
      textKeyedDigests.set(secret, digests);
    }
    digests.set(id, digest);
  }
  // A copy: the caller owns what it is given.
  return new Uint8Array(digest);
}
