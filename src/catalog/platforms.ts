import {
  geographyOfAwsRegion,
  geographyOfGoogleLocation,
  narrowestGeographyOfAwsRegions,
} from './geographies.js';
import type { BedrockScope, Geo, Platform } from './types.js';

/*
 * Platform facts that are not per model: beta support, API versions, hosts,
 * regions and their geographies, body limits. Edit here; code asks, it does
 * not branch on names.
 */

export const FINE_GRAINED_TOOL_STREAMING_BETA = 'fine-grained-tool-streaming-2025-05-14';

/** Betas the platforms share (what Bedrock's and Vertex's Claude pages list). */
const SHARED_BETAS = [
  'computer-use-2024-10-22',
  'computer-use-2025-01-24',
  'computer-use-2025-11-24',
  'token-efficient-tools-2025-02-19',
  'interleaved-thinking-2025-05-14',
  'output-128k-2025-02-19',
  'dev-full-thinking-2025-05-14',
  'context-1m-2025-08-07',
  'context-management-2025-06-27',
  'effort-2025-11-24',
  'tool-search-tool-2025-10-19',
  'tool-examples-2025-10-29',
  FINE_GRAINED_TOOL_STREAMING_BETA,
  // Estimated thinking tokens in streamed thinking deltas (SDKs since 2026-05-21). Claude Code 2.1.332
  // sends it on every request in its Bedrock and Vertex modes, so both platforms take it.
  'thinking-token-count-2026-05-13',
];

/**
 * Betas that name a client rather than a feature. The cloud platforms accept
 * them although their Claude pages do not list them: Claude Code sends
 * `claude-code-20250219` on every request in its Bedrock mode (in the body's
 * `anthropic_beta`) and its Vertex mode (in the header), and works there.
 */
const CLIENT_BETAS = ['claude-code-20250219'];

/**
 * Web search on Vertex AI: Google's Vertex pages require this beta for it on
 * `:rawPredict`/`:streamRawPredict`, and Claude Code sends it on every Vertex
 * request. (Vertex's count-tokens endpoint still refuses it; the gateway learns
 * that from the answer and retries without it.)
 */
const VERTEX_ONLY_BETAS = ['web-search-2025-03-05'];

/** First-party features the cloud platforms do not serve: their betas are rejected there. */
const FIRST_PARTY_ONLY_BETAS = [
  'files-api-2025-04-14',
  'mcp-client-2025-04-04',
  'mcp-client-2025-11-20',
  'code-execution-2025-05-22',
  'code-execution-2025-08-25',
  'web-fetch-2025-09-10',
  'web-search-2025-03-05',
  'skills-2025-10-02',
  // Tool search's first-party beta: Claude Code sends tool-search-tool-2025-10-19 on Bedrock and Vertex instead.
  'advanced-tool-use-2025-11-20',
  'oauth-2025-04-20',
  'message-batches-2024-09-24',
];

export interface BetaSupport {
  /** Betas the platform is known to accept. */
  accepted: readonly string[];
  /** Betas the platform is known to reject: the adapters drop them and say so. */
  rejected: readonly string[];
  /**
   * What the platform itself does with a beta in neither list. The adapters
   * forward unknown betas anyway (a new beta must work with no code change) and
   * learn from the rejection; the emulator uses this to answer as the platform does.
   */
  unknown: 'accept' | 'reject';
  /**
   * The platform takes no `anthropic-beta` at all (the header is refused with a
   * 400): the adapters drop every beta and report each one.
   */
  refusesAll?: boolean;
}

export const BETA_SUPPORT: Record<Platform, BetaSupport> = {
  anthropic: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...FIRST_PARTY_ONLY_BETAS],
    rejected: [],
    unknown: 'accept',
  },
  foundry: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...FIRST_PARTY_ONLY_BETAS],
    rejected: [],
    unknown: 'accept',
  },
  bedrock: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS],
    rejected: FIRST_PARTY_ONLY_BETAS,
    unknown: 'reject',
  },
  // "Claude in Amazon Bedrock" (the Messages API on bedrock-runtime and bedrock-mantle):
  // `anthropic-beta` is not supported there (PLATFORMS-2026.md; AWS user guide,
  // https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html).
  'bedrock-messages': {
    accepted: [],
    rejected: [],
    unknown: 'reject',
    refusesAll: true,
  },
  // Anthropic-operated, the whole Claude API: betas pass through as on the first party
  // (https://platform.claude.com/docs/en/build-with-claude/claude-platform-on-aws).
  'claude-platform-aws': {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...FIRST_PARTY_ONLY_BETAS],
    rejected: [],
    unknown: 'accept',
  },
  vertex: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...VERTEX_ONLY_BETAS],
    rejected: FIRST_PARTY_ONLY_BETAS.filter((beta) => !VERTEX_ONLY_BETAS.includes(beta)),
    unknown: 'reject',
  },
};

/**
 * `anthropic_version` values each platform takes in the body (Bedrock and
 * Vertex) or header (first party). The first entry is the platform's own and
 * the one the adapters write; dated API versions listed after it are accepted
 * too (the official SDKs ≥ 1.0 copy their `anthropic-version` header, 2026-10-21,
 * into the Bedrock and Vertex body).
 */
export const ANTHROPIC_VERSIONS: Record<Platform, readonly string[]> = {
  anthropic: ['2023-06-01', '2026-10-21'],
  foundry: ['2023-06-01', '2026-10-21'],
  bedrock: ['bedrock-2023-05-31', '2026-10-21'],
  // A header on both Messages hosts (the AWS guide's Mantle example sends `anthropic-version: 2023-06-01`).
  // 2026-10-21 is accepted: only Claude 4.7 and later are served there.
  'bedrock-messages': ['2023-06-01', '2026-10-21'],
  'claude-platform-aws': ['2023-06-01', '2026-10-21'],
  vertex: ['vertex-2023-10-16', '2026-10-21'],
};

/**
 * Bedrock accepts API version 2026-10-21 only for Claude 4.7 and later (the
 * models on its Messages integration); the ARN-versioned legacy models answer
 * 400 (PLATFORMS-2026.md, "API version 2026-10-21"; Anthropic's legacy Bedrock page).
 */
export const BEDROCK_LEGACY_REFUSED_VERSIONS: readonly string[] = ['2026-10-21'];

/** Largest request body each platform takes, in bytes. */
export const MAX_BODY_BYTES: Record<Platform, number> = {
  anthropic: 32 * 1024 * 1024,
  foundry: 32 * 1024 * 1024,
  bedrock: 25_000_000,
  // Not published for the Messages hosts: Bedrock's own limit is assumed.
  'bedrock-messages': 25_000_000,
  'claude-platform-aws': 32 * 1024 * 1024,
  vertex: 30 * 1024 * 1024,
};

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
