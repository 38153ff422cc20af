import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
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
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
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
