import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import type { Platform } from '../catalog/types.js';
import { findRoute, planTargets, type Route } from './plan.js';
import { geoOfTarget, parseTarget, targetKey } from './targets.js';

const all = new Set<Platform>(['anthropic', 'bedrock', 'vertex', 'foundry']);
const targets = (...specs: string[]) =>
  specs.map((spec) => parseTarget(spec, { bedrockRegion: 'us-west-2' }));

describe('parseTarget', () => {
  it.each([
    ['bedrock/global', { platform: 'bedrock', scope: 'global', region: 'us-west-2' }],
    ['bedrock/us', { platform: 'bedrock', scope: 'us', region: 'us-west-2' }],
    ['bedrock/eu', { platform: 'bedrock', scope: 'eu', region: 'eu-central-1' }],
    ['bedrock/eu@eu-west-1', { platform: 'bedrock', scope: 'eu', region: 'eu-west-1' }],
    ['bedrock/ap-northeast-1', { platform: 'bedrock', region: 'ap-northeast-1' }],
    ['vertex/europe-west1', { platform: 'vertex', region: 'europe-west1' }],
    ['vertex', { platform: 'vertex', region: 'global' }],
    ['anthropic', { platform: 'anthropic' }],
  ])('reads %s', (spec, expected) => {
    expect(parseTarget(spec, { bedrockRegion: 'us-west-2' })).toEqual(expected);
  });

  it.each([
    ['azure', 'unknown platform "azure"'],
    ['bedrock/eu@us-east-1', 'cannot be called from us-east-1'],
    ['bedrock/moon', 'neither a Bedrock scope'],
    ['anthropic/us', 'takes no region'],
  ])('explains what is wrong with %s', (spec, message) => {
    expect(() => parseTarget(spec)).toThrow(message);
  });

  it('names targets and their geography', () => {
    expect(targetKey(parseTarget('bedrock/eu@eu-west-1'))).toBe('bedrock/eu@eu-west-1');
    expect(geoOfTarget(parseTarget('vertex/europe-west4'))).toBe('eu');
    expect(geoOfTarget(parseTarget('bedrock/global'))).toBe('global');
    expect(geoOfTarget(parseTarget('bedrock/eu-west-3'))).toBe('eu');
    expect(geoOfTarget(parseTarget('bedrock/eu-west-2'))).toBe('europe');
    expect(geoOfTarget(parseTarget('vertex/europe-west6'))).toBe('europe');
    expect(geoOfTarget(parseTarget('bedrock/eu'))).toBe('europe');
    expect(geoOfTarget(parseTarget('bedrock/us'))).toBe('us');
    expect(geoOfTarget(parseTarget('vertex/eu'))).toBe('eu');
    expect(geoOfTarget(parseTarget('vertex/northamerica-northeast1'))).toBeUndefined();
  });
});

describe('planTargets', () => {
  const route: Route = {
    models: ['claude-sonnet-4-5'],
    targets: targets('bedrock/global', 'vertex/global', 'bedrock/eu', 'vertex/europe-west1'),
  };

  it('selects a route by any name of its model and resolves each platform id', () => {
    const plan = planTargets({
      resolved: resolveModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
      routes: [route],
      defaultTargets: [],
      platforms: all,
    });
    expect(plan.route).toBe(route);
    expect(plan.targets.map((target) => target.modelId)).toEqual([
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
    ]);
  });

  it('keeps only targets inside a residency, and says why the others were left out', () => {
    const plan = planTargets({
      resolved: resolveModel('claude-sonnet-4-5-20250929'),
      routes: [route],
      defaultTargets: [],
      platforms: all,
      residency: 'eu',
    });
    expect(plan.targets.map(targetKey)).toEqual(['vertex/europe-west1']);
    expect(plan.skipped.map((skip) => skip.reason)).toEqual([
      'outside the EU residency (global)',
      'outside the EU residency (global)',
      'outside the EU residency (Europe)',
    ]);
  });

  it('holds eu to the European Union: London, Zurich and the eu. profiles are Europe, not EU', () => {
    const plan = (residency: 'eu' | 'europe') =>
      planTargets({
        resolved: resolveModel('claude-opus-5'),
        routes: [],
        defaultTargets: targets(
          'vertex/europe-west2',
          'bedrock/eu-west-2',
          'vertex/europe-west6',
          'bedrock/eu-central-2',
          'bedrock/eu',
          'vertex/europe-west1',
          'bedrock/eu-west-1',
          'vertex/eu',
          'vertex/northamerica-northeast1',
        ),
        platforms: all,
        residency,
      });
    const eu = plan('eu');
    expect(eu.targets.map(targetKey)).toEqual(['vertex/europe-west1', 'bedrock/eu-west-1', 'vertex/eu']);
    expect(eu.skipped).toContainEqual({
      target: 'vertex/europe-west2',
      reason: 'outside the EU residency (Europe)',
    });
    expect(eu.skipped).toContainEqual({
      target: 'vertex/northamerica-northeast1',
      reason:
        'outside the EU residency (northamerica-northeast1 is in no geography the gateway knows; see src/catalog/data/geographies.json)',
    });
    expect(plan('europe').targets.map(targetKey)).toEqual([
      'vertex/europe-west2',
      'bedrock/eu-west-2',
      'vertex/europe-west6',
      'bedrock/eu-central-2',
      'bedrock/eu@eu-central-1',
      'vertex/europe-west1',
      'bedrock/eu-west-1',
      'vertex/eu',
    ]);
  });

  it('skips a scope the model lacks and platforms that do not offer it', () => {
    const plan = planTargets({
      resolved: resolveModel('claude-opus-4-1'),
      routes: [],
      defaultTargets: targets('bedrock/eu', 'foundry', 'bedrock/us'),
      platforms: all,
    });
    expect(plan.targets.map(targetKey)).toEqual(['bedrock/us@us-west-2']);
    expect(plan.skipped[0]?.reason).toContain('no `eu` inference profile');
    expect(plan.skipped[1]?.reason).toContain('not offered on Microsoft Foundry');
    const sonnet4 = planTargets({
      resolved: resolveModel('claude-sonnet-4'),
      routes: [],
      defaultTargets: targets('foundry', 'anthropic'),
      platforms: all,
    });
    expect(sonnet4.targets.map(targetKey)).toEqual(['anthropic']);
    expect(sonnet4.skipped[0]?.reason).toContain('not offered on Microsoft Foundry');
  });

  it('leaves out platforms that are not configured and puts the sticky target first', () => {
    const plan = planTargets({
      resolved: resolveModel('claude-sonnet-4-5'),
      routes: [route],
      defaultTargets: [],
      platforms: new Set<Platform>(['vertex']),
      stickyTarget: 'vertex/europe-west1',
    });
    expect(plan.targets.map(targetKey)).toEqual(['vertex/europe-west1', 'vertex/global']);
  });

  it('orders weighted targets by weight and still fails over through all of them', () => {
    const weighted: Route = {
      models: ['*'],
      targets: targets('anthropic', 'vertex/global'),
      strategy: 'weighted',
      weights: [0, 1],
    };
    const plan = planTargets({
      resolved: resolveModel('haiku'),
      routes: [weighted],
      defaultTargets: [],
      platforms: all,
      random: () => 0.5,
    });
    expect(plan.targets.map(targetKey)).toEqual(['vertex/global', 'anthropic']);
  });

  it('passes unknown models through with derived ids', () => {
    const plan = planTargets({
      resolved: resolveModel('claude-opus-9-1'),
      routes: [],
      defaultTargets: targets('bedrock/global', 'vertex/global'),
      platforms: all,
    });
    // Undated ids carry no `-v1` suffix on Bedrock since Sonnet 4.6.
    expect(plan.targets.map((target) => target.modelId)).toEqual([
      'global.anthropic.claude-opus-9-1',
      'claude-opus-9-1',
    ]);
  });
});

describe('findRoute', () => {
  const haikuOnly: Route = { models: ['*haiku*'], targets: targets('vertex') };
  const opus: Route = { models: ['claude-opus-*'], targets: targets('anthropic') };

  it('decides on the model the name resolves to, not on the text of an ARN or a scope', () => {
    const arn = resolveModel(
      'arn:aws:bedrock:haiku:1:foundation-model/anthropic.claude-opus-4-5-20251101-v1:0',
    );
    expect(arn.model?.name).toBe('claude-opus-4-5');
    expect(findRoute([haikuOnly, opus], arn)).toBe(opus);
    expect(findRoute([haikuOnly], arn)).toBeUndefined();
  });

  it('matches a glob by any catalog name of the model, and an unknown model by its ids', () => {
    expect(findRoute([opus], resolveModel('us.anthropic.claude-opus-4-5-20251101-v1:0'))).toBe(opus);
    expect(findRoute([opus], resolveModel('claude-opus-9'))).toBe(opus);
    expect(findRoute([opus], resolveModel('claude-sonnet-4-6'))).toBeUndefined();
    const exact: Route = { models: ['my-model'], targets: targets('anthropic') };
    expect(findRoute([exact], resolveModel('my-model'))).toBe(exact);
    expect(findRoute([exact], resolveModel('my-model-2'))).toBeUndefined();
  });
});
