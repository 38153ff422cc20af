import {
  geographyOfAwsRegion,
  geographyOfGoogleLocation,
  narrowestGeographyOfAwsRegions,
} from './geographies.js';
import type { BedrockScope, Geo } from './types.js';

/*
 * Facts shared by platforms that are not per model: hosts, regions and their
 * geographies. What each platform takes (betas, API versions, body size) is in
 * its descriptor (`src/platforms/<name>/descriptor.ts`).
 */

/** Default public endpoints. Every one is overridable in configuration. */
export const ENDPOINTS = {
  anthropic: 'https://api.anthropic.com',
  bedrockRuntime: (region: string) => `https://bedrock-runtime.${region}.amazonaws.com`,
  /**
   * The Messages API on Bedrock's two hosts; `/v1/messages` is appended
   * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html).
   */
  bedrockMessages: {
    runtime: (region: string) => `https://bedrock-runtime.${region}.amazonaws.com/anthropic`,
    mantle: (region: string) => `https://bedrock-mantle.${region}.api.aws/anthropic`,
  },
  /** Claude Platform on AWS (https://docs.aws.amazon.com/claude-platform/latest/userguide/making-requests.html). */
  claudePlatformAws: (region: string) => `https://aws-external-anthropic.${region}.api.aws`,
  bedrockControl: (region: string) => `https://bedrock.${region}.amazonaws.com`,
  sts: (region: string) => `https://sts.${region}.amazonaws.com`,
  foundry: (resource: string) => `https://${resource}.services.ai.azure.com/anthropic`,
  vertex: (location: string) => {
    if (location === 'global') return 'https://aiplatform.googleapis.com';
    if (location === 'us' || location === 'eu') return `https://aiplatform.${location}.rep.googleapis.com`;
    return `https://${location}-aiplatform.googleapis.com`;
  },
  googleToken: 'https://oauth2.googleapis.com/token',
} as const;

/** Which host serves Bedrock's Messages API: `bedrock-runtime` (AWS's recommendation, default) or `bedrock-mantle`. */
export type BedrockMessagesHost = 'runtime' | 'mantle';

/** The SigV4 signing name of each Bedrock Messages host (Mantle's IAM actions are `bedrock-mantle:*`). */
export const BEDROCK_MESSAGES_SIGNING_NAME: Record<BedrockMessagesHost, 'bedrock' | 'bedrock-mantle'> = {
  runtime: 'bedrock',
  mantle: 'bedrock-mantle',
};

/** Claude Platform on AWS's SigV4 signing name (IAM actions `aws-external-anthropic:CreateInference`, …). */
export const CLAUDE_PLATFORM_AWS_SIGNING_NAME = 'aws-external-anthropic';

/** The header naming the workspace of a Claude Platform on AWS request; every data-plane request needs it. */
export const WORKSPACE_ID_HEADER = 'anthropic-workspace-id';

/**
 * AWS regions from which each inference-profile scope can be called. A `us.`
 * profile called in `eu-west-1` is rejected by Bedrock as an invalid model id.
 * They are also the regions each profile is taken to route to, and so decide
 * its geography (`geoOfBedrockScope`).
 */
export const BEDROCK_SCOPE_SOURCE_REGIONS: Record<Exclude<BedrockScope, 'global'>, readonly string[]> = {
  us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  eu: [
    'eu-central-1',
    'eu-central-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
  ],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
  apac: [
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
  ],
  au: ['ap-southeast-2', 'ap-southeast-4'],
};

/** Every AWS region the catalog knows Bedrock in. */
export const BEDROCK_REGIONS: readonly string[] = [
  ...new Set(Object.values(BEDROCK_SCOPE_SOURCE_REGIONS).flat()),
  'ca-central-1',
  'sa-east-1',
];

/** The default AWS region for each scope, used when a route names only a scope. */
export const BEDROCK_SCOPE_HOME_REGION: Record<BedrockScope, string> = {
  global: 'us-east-1',
  us: 'us-east-1',
  eu: 'eu-central-1',
  jp: 'ap-northeast-1',
  apac: 'ap-southeast-1',
  au: 'ap-southeast-2',
};

/**
 * The geography where a Bedrock scope keeps the data: the narrowest geography
 * that holds every region of the profile (`data/geographies.json`), so it
 * follows the data rather than the prefix. The `eu.` profiles' regions above
 * include London (eu-west-2) and Zurich (eu-central-2), which are not in the
 * European Union: a request sent to an `eu.` profile may be processed there,
 * so its geography is `europe`, not `eu`. An EU-only key reaches Bedrock only
 * through a base model id in an EU region (`bedrock/eu-central-1`).
 * `global` is everywhere.
 *
 * @example
 * geoOfBedrockScope('eu') // 'europe'
 * geoOfBedrockScope('us') // 'us'
 */
export function geoOfBedrockScope(scope: BedrockScope): Geo | undefined {
  if (scope === 'global') return 'global';
  return narrowestGeographyOfAwsRegions(BEDROCK_SCOPE_SOURCE_REGIONS[scope]);
}

/**
 * The geography of a single AWS region from `data/geographies.json`
 * (`eu-west-1` → `eu`, `eu-west-2` London → `europe`); undefined for a region
 * the data does not list.
 */
export function geoOfAwsRegion(region: string): Geo | undefined {
  return geographyOfAwsRegion(region);
}

/** Vertex locations the catalog knows; any `{region}` of Google Cloud is accepted by the adapters. */
export const VERTEX_LOCATIONS: readonly string[] = [
  'global',
  'us',
  'eu',
  'us-east5',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-west1',
  'europe-west1',
  'europe-west4',
  'europe-west3',
  'asia-east1',
  'asia-southeast1',
  'asia-northeast1',
  'australia-southeast1',
];

/**
 * The geography of a Vertex location from `data/geographies.json`
 * (`europe-west1` → `eu`, `europe-west2` London → `europe`, the `eu`
 * multi-region → `eu`, `global` → `global`); undefined for a location the
 * data does not list.
 */
export function geoOfVertexLocation(location: string): Geo | undefined {
  return geographyOfGoogleLocation(location);
}
