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

  it('HMACs with the key an array holds when hashed, also when the array changes after (keys are cached by bytes)', async () => {
    const key = new Uint8Array(32).fill(7);
    const first = new NodeSha256(key);
    first.update('data');
    const before = Buffer.from(await first.digest()).toString('hex');
    key.fill(9);
    const second = new NodeSha256(key);
    second.update('data');
    const theirs = new Sha256(new Uint8Array(32).fill(9));
    theirs.update('data');
    expect(Buffer.from(await second.digest()).toString('hex')).toBe(
      Buffer.from(await theirs.digest()).toString('hex'),
    );
    expect(before).not.toBe(Buffer.from(await theirs.digest()).toString('hex'));
  });

  it('starts over after reset', async () => {
    const hash = new NodeSha256();
    hash.update('discarded');
    hash.reset();
    hash.update('kept');
    const [expected] = await both(undefined, ['kept']);
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(expected);
  });

  it('HMACs keyed by text exactly as @aws-crypto/sha256-js, also when the same data comes again', async () => {
    const long = 'x'.repeat(1_000);
    for (let round = 0; round < 3; round++) {
      for (const secret of ['secret-a', 'secret-b', 'AWS4secret-a']) {
        for (const parts of [
          ['AKIDEXAMPLE'],
          ['20260304'],
          ['AKID', 'EXAMPLE'],
          [long],
          [new Uint8Array([1, 2, 255])],
          [],
        ]) {
          const [ours, theirs] = await both(secret, parts);
          expect(ours, `${secret} ${parts.join('+').slice(0, 20)}`).toBe(theirs);
        }
      }
    }
  });

  it('hands out a digest of its own for remembered HMACs', async () => {
    const first = new NodeSha256('secret');
    first.update('AKID');
    const digest = await first.digest();
    digest.fill(0);
    const [again, theirs] = await both('secret', ['AKID']);
    expect(again).toBe(theirs);
  });

  it('starts over after reset, keyed by text', async () => {
    const hash = new NodeSha256('secret');
    hash.update('discarded');
    hash.reset();
    hash.update('kept');
    const [expected] = await both('secret', ['kept']);
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(expected);
  });
});
