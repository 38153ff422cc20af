import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/**
 * Request bodies sent with `Content-Encoding` (a proxy or client that
 * compresses uploads): decoded with node:zlib before anything parses them,
 * with the body limit applied to the decoded size so a small compressed body
 * cannot expand past it.
 */

type Decoder = (bytes: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

const DECODERS: Record<string, Decoder> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** The encodings the gateway decodes, for error messages. */
export const SUPPORTED_ENCODINGS = Object.keys(DECODERS).filter((name) => name !== 'x-gzip');

export type DecodedBody =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'too-large' }
  | { ok: false; reason: 'unsupported-encoding'; encoding: string }
  | { ok: false; reason: 'bad-encoding'; encoding: string; detail: string };

/**
 * Undoes the `Content-Encoding` of a request body; several codings are undone
 * last-applied first, as RFC 9110 §8.4 lists them in the order applied.
 */
export async function decodeRequestBody(
  bytes: Buffer,
  contentEncoding: string | undefined,
  limit: number,
): Promise<DecodedBody> {
  if (!contentEncoding) return { ok: true, bytes };
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  let decoded = bytes;
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) return { ok: false, reason: 'unsupported-encoding', encoding: coding };
    try {
      decoded = await decode(decoded, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return { ok: false, reason: 'too-large' };
      return { ok: false, reason: 'bad-encoding', encoding: coding, detail: (error as Error).message };
    }
  }
  return { ok: true, bytes: decoded };
}
