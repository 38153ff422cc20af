import data from './data/geographies.json' with { type: 'json' };
import type { Geo } from './types.js';

/*
 * Data-residency geographies as data (`data/geographies.json`): which AWS
 * regions and Google Cloud locations each holds. A region listed nowhere is
 * in no geography, and a residency rule refuses it.
 */

type Member = 'aws' | 'google';

interface Geography {
  id: Exclude<Geo, 'global'>;
  label: string;
  name: string;
  includes: Exclude<Geo, 'global'>[];
  aws: Record<string, string>;
  google: Record<string, string>;
}

const KNOWN: readonly Geo[] = ['us', 'eu', 'europe', 'jp', 'apac', 'au'];

function parseGeographies(raw: unknown): Geography[] {
  const list = (raw as { geographies?: unknown }).geographies;
  if (!Array.isArray(list))
    throw new Error('src/catalog/data/geographies.json: "geographies" must be a list');
  return list.map((entry: Record<string, unknown>, index) => {
    const where = `src/catalog/data/geographies.json: geographies[${index}]`;
    if (!KNOWN.includes(entry.id as Geo))
      throw new Error(`${where}.id: unknown geography ${String(entry.id)}`);
    const includes = (entry.includes ?? []) as unknown[];
    for (const inner of includes) {
      if (!KNOWN.includes(inner as Geo))
        throw new Error(`${where}.includes: unknown geography ${String(inner)}`);
    }
    return {
      id: entry.id as Geography['id'],
      label: String(entry.label),
      name: String(entry.name),
      includes: includes as Geography['includes'],
      aws: (entry.aws ?? {}) as Record<string, string>,
      google: (entry.google ?? {}) as Record<string, string>,
    };
  });
}

const GEOGRAPHIES: readonly Geography[] = parseGeographies(data);
const BY_ID = new Map(GEOGRAPHIES.map((geography) => [geography.id as Geo, geography]));

/** The geographies a residency is held to, as users write them: `us`, `eu`, `europe`, … */
export const GEOGRAPHY_IDS: readonly Exclude<Geo, 'global'>[] = GEOGRAPHIES.map((geography) => geography.id);

/**
 * Whether `inner` lies wholly inside `outer`: `eu` is inside `europe`, `jp`
 * inside `apac`, everything inside `global`, and `global` inside nothing else.
 *
 * @example
 * geoWithin('eu', 'europe') // true
 * geoWithin('europe', 'eu') // false
 */
export function geoWithin(inner: Geo, outer: Geo): boolean {
  if (inner === outer || outer === 'global') return true;
  if (inner === 'global') return false;
  return (BY_ID.get(outer)?.includes ?? []).some((included) => geoWithin(inner, included));
}

/** How messages name a geography: `EU`, `Europe`, `US`. */
export function geoLabel(geo: Geo): string {
  return BY_ID.get(geo)?.label ?? geo.toUpperCase();
}

function directGeography(member: Member, id: string): Geo | undefined {
  return GEOGRAPHIES.find((geography) => Object.hasOwn(geography[member], id))?.id;
}

/** The narrowest geography an AWS region is in (`eu-west-1` → `eu`, `eu-west-2` → `europe`), if any. */
export function geographyOfAwsRegion(region: string): Geo | undefined {
  return directGeography('aws', region);
}

/** The narrowest geography a Google Cloud location is in (`europe-west1` → `eu`, `europe-west6` → `europe`). */
export function geographyOfGoogleLocation(location: string): Geo | undefined {
  if (location === 'global') return 'global';
  return directGeography('google', location);
}

/**
 * The narrowest geography that holds every one of the AWS regions, if one
 * does: how a Bedrock inference profile's geography follows from its regions.
 *
 * @example
 * narrowestGeographyOfAwsRegions(['eu-west-1', 'eu-west-2']) // 'europe' (London is not in the EU)
 */
export function narrowestGeographyOfAwsRegions(regions: readonly string[]): Geo | undefined {
  const geos = regions.map(geographyOfAwsRegion);
  if (geos.some((geo) => geo === undefined)) return undefined;
  const holding = GEOGRAPHY_IDS.filter((outer) => geos.every((geo) => geo && geoWithin(geo, outer)));
  return holding.find((candidate) => holding.every((other) => geoWithin(candidate, other)));
}
