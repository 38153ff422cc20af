import { describe, expect, it } from 'vitest';
import { costOf } from '../catalog/pricing.js';
import { modelIdForTarget, resolveModel } from '../catalog/resolve.js';
import { planTargets } from './plan.js';
import { geoOfTarget, parseTarget, targetKey } from './targets.js';

describe('parseTarget: Bedrock Messages API and Claude Platform on AWS', () => {
  it('reads bedrock-messages scopes, regions and @region as bedrock/ does', () => {
    expect(parseTarget('bedrock-messages/global', { bedrockRegion: 'eu-west-1' })).toEqual({
      platform: 'bedrock-messages',
      scope: 'global',
      region: 'eu-west-1',
    });
    expect(parseTarget('bedrock-messages/eu@eu-west-1')).toEqual({
      platform: 'bedrock-messages',
      scope: 'eu',
      region: 'eu-west-1',
    });
    expect(parseTarget('bedrock-messages/us')).toEqual({
      platform: 'bedrock-messages',
      scope: 'us',
      region: 'us-east-1',
    });
    expect(parseTarget('bedrock-messages/us-west-2')).toEqual({
      platform: 'bedrock-messages',
      region: 'us-west-2',
    });
    expect(targetKey(parseTarget('bedrock-messages/jp'))).toBe('bedrock-messages/jp@ap-northeast-1');
  });

  it('takes claude-platform-aws with no region (the workspace is bound to the configured one)', () => {
    expect(parseTarget('claude-platform-aws')).toEqual({ platform: 'claude-platform-aws' });
    expect(targetKey({ platform: 'claude-platform-aws' })).toBe('claude-platform-aws');
    expect(geoOfTarget({ platform: 'claude-platform-aws' })).toBe('global');
    expect(() => parseTarget('claude-platform-aws/us-west-2')).toThrow(/takes no region/);
  });

  it('stops on an unknown platform or scope with the valid ones listed', () => {
    expect(() => parseTarget('bedrock-mantle/global')).toThrow(
      'unknown platform "bedrock-mantle" in target "bedrock-mantle/global"; use one of anthropic, bedrock, bedrock-messages, claude-platform-aws, vertex, foundry',
    );
    expect(() => parseTarget('bedrock-messages/apac')).toThrow(
      "Bedrock's Messages API has no apac. inference profile; use one of global, us, eu, jp, au, or an AWS region",
    );
    expect(() => parseTarget('bedrock-messages/mars')).toThrow(
      '"mars" is neither a Bedrock scope (global, us, eu, jp, au) nor an AWS region',
    );
    expect(() => parseTarget('bedrock-messages/eu@us-east-1')).toThrow(/cannot be called from us-east-1/);
  });

  it('residency: a bedrock-messages scope keeps the data in its geography', () => {
    expect(geoOfTarget(parseTarget('bedrock-messages/eu'))).toBe('europe');
    expect(geoOfTarget(parseTarget('bedrock-messages/us-west-2'))).toBe('us');
  });
});

describe('model ids, prices and availability on the new targets', () => {
  it('sends the Bedrock id with the scope prefix, and the Messages id where it differs', () => {
    const opus = resolveModel('claude-opus-5-5');
    expect(
      modelIdForTarget(opus, { platform: 'bedrock-messages', scope: 'global', region: 'us-east-1' }),
    ).toBe('global.anthropic.claude-opus-5-5');
    const haiku = resolveModel('claude-haiku-4-5');
    expect(modelIdForTarget(haiku, { platform: 'bedrock-messages', scope: 'us', region: 'us-east-1' })).toBe(
      'us.anthropic.claude-haiku-4-5',
    );
    expect(modelIdForTarget(haiku, { platform: 'bedrock', scope: 'us', region: 'us-east-1' })).toBe(
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    expect(modelIdForTarget(opus, { platform: 'claude-platform-aws' })).toBe('claude-opus-5-5');
    expect(modelIdForTarget(haiku, { platform: 'claude-platform-aws' })).toBe('claude-haiku-4-5-20251001');
  });

  it('skips a legacy (InvokeModel-only) model on bedrock-messages with the reason', () => {
    const plan = planTargets({
      resolved: resolveModel('claude-sonnet-4-5'),
      routes: [],
      defaultTargets: [parseTarget('bedrock-messages/global'), parseTarget('bedrock/global')],
      platforms: new Set(['bedrock', 'bedrock-messages']),
    });
    expect(plan.targets.map((target) => target.platform)).toEqual(['bedrock']);
    expect(plan.skipped).toEqual([
      {
        target: 'bedrock-messages/global@us-east-1',
        reason: expect.stringContaining("Claude Sonnet 4.5 is not offered on Amazon Bedrock's Messages API"),
      },
    ]);
  });

  it('prices bedrock-messages as Bedrock: global without premium, regional +10%', () => {
    const opus = resolveModel('claude-opus-5-5').model;
    if (!opus) throw new Error('catalog lacks Opus 5.5');
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    expect(costOf(usage, opus, { platform: 'bedrock-messages', scope: 'global' })?.usd).toBeCloseTo(4);
    expect(costOf(usage, opus, { platform: 'bedrock-messages', scope: 'us' })?.usd).toBeCloseTo(4.4);
    expect(costOf(usage, opus, { platform: 'claude-platform-aws' })?.usd).toBeCloseTo(4);
  });
});
