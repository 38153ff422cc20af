import { describe, expect, it } from 'vitest';
import data from './data/geographies.json' with { type: 'json' };
import {
  GEOGRAPHY_IDS,
  geographyOfAwsRegion,
  geographyOfGoogleLocation,
  geoWithin,
  narrowestGeographyOfAwsRegions,
} from './geographies.js';
import { BEDROCK_SCOPE_SOURCE_REGIONS, geoOfBedrockScope } from './platforms.js';

describe('residency geographies', () => {
  it('lists each region and location in one geography only', () => {
    for (const member of ['aws', 'google'] as const) {
      const all = data.geographies.flatMap((geography) => Object.keys(geography[member] ?? {}));
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('keeps eu to the European Union: London and Zurich are Europe, not EU', () => {
    for (const region of ['eu-west-1', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2'])
      expect(geographyOfAwsRegion(region)).toBe('eu');
    for (const location of [
      'eu',
      'europe-west1',
      'europe-west3',
      'europe-west4',
      'europe-north2',
      'europe-west12',
    ])
      expect(geographyOfGoogleLocation(location)).toBe('eu');
    expect(geographyOfAwsRegion('eu-west-2')).toBe('europe');
    expect(geographyOfAwsRegion('eu-central-2')).toBe('europe');
    expect(geographyOfGoogleLocation('europe-west2')).toBe('europe');
    expect(geographyOfGoogleLocation('europe-west6')).toBe('europe');
    expect(geoWithin('eu', 'europe')).toBe(true);
    expect(geoWithin('europe', 'eu')).toBe(false);
  });

  it('maps a region it does not list to no geography (Canada is not the US)', () => {
    expect(geographyOfGoogleLocation('northamerica-northeast1')).toBeUndefined();
    expect(geographyOfAwsRegion('ca-central-1')).toBeUndefined();
    expect(geographyOfAwsRegion('eu-moon-1')).toBeUndefined();
  });

  it("derives a Bedrock profile's geography from its regions", () => {
    expect(BEDROCK_SCOPE_SOURCE_REGIONS.eu).toContain('eu-west-2');
    expect(geoOfBedrockScope('eu')).toBe('europe');
    expect(geoOfBedrockScope('us')).toBe('us');
    expect(geoOfBedrockScope('jp')).toBe('jp');
    expect(geoOfBedrockScope('apac')).toBe('apac');
    expect(geoOfBedrockScope('global')).toBe('global');
    expect(narrowestGeographyOfAwsRegions(['eu-west-1', 'eu-central-1'])).toBe('eu');
    expect(GEOGRAPHY_IDS).toEqual(expect.arrayContaining(['eu', 'europe']));
  });
});
