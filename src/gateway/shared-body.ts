/**
 * Bodies at least this large are put together in shared memory. Below it a
 * copy to the writer thread costs less than a shared buffer does (measured:
 * even at 4 KiB; from 16 KiB on, sharing costs a third to a quarter of a copy).
 */
export const SHARED_BODY_MIN_BYTES = 16 * 1024;

/**
 * A request body's chunks as one buffer. A large body goes to the activity
 * log's writer thread after the request (the whole body, for `bodies: full`):
 * posting a buffer copies it twice (into the message, then into the thread's
 * own memory), but a buffer over a SharedArrayBuffer reaches the thread as is.
 * The gateway never changes a body's bytes once read, so sharing is safe; it
 * reads, forwards and journals them as any other buffer (only `fetch` refuses
 * a buffer over shared memory as a request body).
 *
 * @example
 * const body = joinBody(chunks, total); // one Buffer; over shared memory when total ≥ 16 KiB
 */
export function joinBody(chunks: readonly Buffer[], total: number): Buffer {
  if (total < SHARED_BODY_MIN_BYTES) return joinChunks(chunks, total);
  const joined = Buffer.from(new SharedArrayBuffer(total));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

/** A body's chunks as one buffer in ordinary memory (a single chunk as it is). */
export function joinChunks(chunks: readonly Buffer[], total: number): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}
