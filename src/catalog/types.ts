/**
 * The upstream platforms this package can call. `bedrock` is Bedrock's legacy
 * integration (InvokeModel, AWS event-stream); `bedrock-messages` is "Claude in
 * Amazon Bedrock", the Messages API at `…/anthropic/v1/messages` (Claude 4.7 and
 * later); `claude-platform-aws` is the Anthropic-operated Claude API billed
 * through AWS.
 */
export type Platform =
  | 'anthropic'
  | 'bedrock'
  | 'bedrock-messages'
  | 'claude-platform-aws'
  | 'vertex'
  | 'foundry';

export const PLATFORMS: readonly Platform[] = [
  'anthropic',
  'bedrock',
  'bedrock-messages',
  'claude-platform-aws',
  'vertex',
  'foundry',
];

/**
 * A Bedrock cross-region inference profile scope (the prefix of the model id),
 * or `in-region` for the base model id called without a profile.
 */
export type BedrockScope = 'global' | 'us' | 'eu' | 'jp' | 'apac' | 'au';
export const BEDROCK_SCOPES: readonly BedrockScope[] = ['global', 'us', 'eu', 'jp', 'apac', 'au'];

/**
 * A data-residency geography. `global` means "anywhere the platform routes".
 * `eu` is the European Union only; `europe` adds the United Kingdom and
 * Switzerland. Members of each: `data/geographies.json`.
 */
export type Geo = 'us' | 'eu' | 'europe' | 'jp' | 'apac' | 'au' | 'global';

/** USD per million tokens. */
export interface TokenPrices {
  input: number;
  output: number;
  /** 5-minute cache writes (1.25× input on most models). */
  cacheWrite: number;
  /** 1-hour cache writes (2× input on most models). */
  cacheWrite1h: number;
  cacheRead: number;
}

/** Prices that apply to a whole request once its prompt (input, cache reads and writes) passes a size. */
export interface PriceTier extends TokenPrices {
  aboveInputTokens: number;
}

/** Where a catalog row came from; later sources override earlier ones. */
export type ModelOrigin = 'built-in' | 'discovered' | 'configured';

export type ThinkingMode = 'none' | 'extended' | 'adaptive' | 'adaptive-always';

/** Lifecycle dates (ISO days) on one platform. */
export interface LifecycleDates {
  deprecated?: string;
  retires?: string;
}

/** How Amazon Bedrock offers a model. */
export interface BedrockOffer {
  /** Base model id: `anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  baseId: string;
  /** Inference-profile scopes that exist for this model. */
  scopes: BedrockScope[];
  /** Offered only through inference profiles (no on-demand base id). */
  profileOnly: boolean;
  /** Which integration serves it: InvokeModel (legacy), the Messages API, or both. */
  integration: 'invoke' | 'messages' | 'both';
  /**
   * The id on the Messages integration when it differs from `baseId` (Haiku 4.5:
   * legacy `anthropic.claude-haiku-4-5-20251001-v1:0`, Messages `anthropic.claude-haiku-4-5`).
   */
  messagesId?: string;
}

export interface ModelEntry {
  /** Canonical name, the first-party alias without a date: `claude-sonnet-4-5`. */
  name: string;
  displayName: string;
  /** `opus`, `sonnet`, `haiku`, `fable`, `mythos`, or a family the data does not know yet. */
  family: string;
  /** Other names that resolve to this model (`sonnet`, `claude-sonnet-latest`). */
  aliases: string[];
  /**
   * First-party id (dated where one exists): `claude-sonnet-4-5-20250929`. For a
   * model the Anthropic API does not offer, its name (and `offeredBy` says so).
   */
  anthropicId: string;
  /** The platforms that offer the model (lifecycle aside). */
  offeredBy: Platform[];
  /** The Anthropic API's own aliases for the model (`claude-sonnet-4-5`), sent as asked. */
  firstPartyAliases: string[];
  /** Undefined when Bedrock does not offer the model. */
  bedrock?: BedrockOffer;
  /** Vertex AI model id (`claude-sonnet-4-5@20250929`); undefined when Google Cloud does not offer it. */
  vertexId?: string;
  /** Microsoft Foundry deployment/model name, when Foundry offers the model. */
  foundryId?: string;
  /** Claude Platform on AWS id, when offered there. */
  claudePlatformAwsId?: string;
  contextWindow: number;
  /** A larger context window unlocked by a beta (1M for Sonnet 4 and 4.5). */
  extendedContext?: { beta: string; tokens: number };
  maxOutputTokens: number;
  prices: TokenPrices;
  /** Higher prices by prompt size (Haiku 5.5's >100K tier, long-context pricing), lowest threshold first. */
  priceTiers: PriceTier[];
  /** Regional (non-global) endpoints cost 10% more (Claude Sonnet 4.5 and later). */
  regionalPremium: boolean;
  thinking?: ThinkingMode;
  /** ISO day of release. */
  released?: string;
  /** On Anthropic-operated platforms: the day the model was deprecated, and the day it retires. */
  deprecated?: string;
  retires?: string;
  /** Where a cloud sets its own dates. */
  platformLifecycle: Partial<Record<Platform, LifecycleDates>>;
  /**
   * API versions the model takes on a platform, where they differ from the
   * platform's own list (Bedrock's legacy models refuse 2026-10-21). The first
   * is the one a client's refused version is replaced by.
   */
  apiVersions?: Partial<Record<Platform, string[]>>;
  /** The model to move to once this one is deprecated (a catalog name). */
  replacement?: string;
  /** Where the facts come from (URLs, or `claude-gateway.yaml` for configured rows). */
  sources: string[];
  /** Paths of facts not confirmed from a first-party page (`prices.cacheWrite1h`). */
  unconfirmed: string[];
  origin: ModelOrigin;
  /** No price is known (a model only a platform's listing named): its cost is unknown, never $0. */
  unpriced?: boolean;
}

/** Where one upstream request goes. */
export interface Target {
  platform: Platform;
  /**
   * Bedrock (both integrations): the AWS region whose endpoint is called. Vertex: the location
   * (`global`, `us`, `eu`, or a region such as `us-east5`). Anthropic, Foundry, Claude Platform on AWS: unused.
   */
  region?: string;
  /** Bedrock (both integrations) only: the inference-profile scope, or undefined for the base model id. */
  scope?: BedrockScope;
}
