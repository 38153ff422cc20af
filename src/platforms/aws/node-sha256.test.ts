import { Sha256 } from '@aws-crypto/sha256-js';
import { describe, expect, it } from 'vitest';
import { NodeSha256 } from './node-sha256.js';

async function both(secret: string | undefined, parts: (string | Uint8Array)[]) {
  const ours = new NodeSha256(secret);
  const theirs = new Sha256(secret);
  for (const part of parts) {
    ours.update(part);
    theirs.update(part);
  }
  return [
    Buffer.from(await ours.digest()).toString('hex'),
    Buffer.from(await theirs.digest()).toString('hex'),
  ];
}

describe('NodeSha256', () => {
  it('hashes and HMACs exactly as @aws-crypto/sha256-js', async () => {
    const body = new TextEncoder().encode('x'.repeat(100_000));
    for (const secret of [undefined, 'AWS4emulator-secret']) {
      const [ours, theirs] = await both(secret, ['prefix ', body.subarray(5, 70_000), 'é✓']);
      expect(ours).toBe(theirs);
    }
  });

  it('starts over after reset', async () => {
    const hash = new NodeSha256();
    hash.update('discarded');
    hash.reset();
    hash.update('kept');
    const [expected] = await both(undefined, ['kept']);
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(expected);
  });
});
