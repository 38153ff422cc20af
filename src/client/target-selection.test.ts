import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import { bedrockTargetFor, targetsFor } from './target-selection.js';

describe('bedrockTargetFor', () => {
  it.each([
    ['sonnet', 'eu-west-1', { scope: 'global', region: 'eu-west-1' }],
    ['claude-opus-4-1', 'us-west-2', { scope: 'us', region: 'us-west-2' }],
    ['claude-3-5-haiku', 'us-west-2', { scope: 'us', region: 'us-west-2' }],
    ['claude-opus-4-1', 'eu-west-1', { region: 'eu-west-1' }],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us-east-1', { scope: 'eu', region: 'eu-central-1' }],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu-west-3', { scope: 'eu', region: 'eu-west-3' }],
    // Offered only through profiles: the base id is served through the global one.
    ['anthropic.claude-haiku-4-5-20251001-v1:0', 'us-east-2', { scope: 'global', region: 'us-east-2' }],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-2', { region: 'us-east-2' }],
    ['claude-opus-9-9', 'us-east-1', { scope: 'global', region: 'us-east-1' }],
    [
      'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc',
      'us-east-1',
      { region: 'eu-west-1' },
    ],
  ])('%s from %s', (model, region, expected) => {
    expect(bedrockTargetFor(resolveModel(model), region)).toEqual({ platform: 'bedrock', ...expected });
  });
});

describe('targetsFor', () => {
  const defaults = { bedrockRegion: 'us-east-1', vertexRegion: 'europe-west1' };

  it('gives each platform its best target, in order', () => {
    expect(
      targetsFor(
        { kind: 'per-platform', platforms: ['vertex', 'bedrock', 'anthropic'] },
        resolveModel('haiku'),
        defaults,
      ),
    ).toEqual([
      { platform: 'vertex', region: 'europe-west1' },
      { platform: 'bedrock', scope: 'global', region: 'us-east-1' },
      { platform: 'anthropic' },
    ]);
  });

  it('keeps a fixed list as it is', () => {
    const targets = [{ platform: 'foundry' as const }];
    expect(targetsFor({ kind: 'fixed', targets }, resolveModel('haiku'), defaults)).toBe(targets);
  });
});
