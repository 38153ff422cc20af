/** The upstream platforms this package can call. */
export type Platform = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';

export const PLATFORMS: readonly Platform[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];

/**
 * A Bedrock cross-region inference profile scope (the prefix of the model id),
 * or `in-region` for the base model id called without a profile.
 */
export type BedrockScope = 'global' | 'us' | 'eu' | 'jp' | 'apac' | 'au';
export const BEDROCK_SCOPES: readonly BedrockScope[] = ['global', 'us', 'eu', 'jp', 'apac', 'au'];

/** A data-residency geography. `global` means "anywhere the platform routes". */
export type Geo = 'us' | 'eu' | 'jp' | 'apac' | 'au' | 'global';

/** USD per million tokens. */
export interface TokenPrices {
  input: number;
  output: number;
  /** 5-minute cache writes (1.25× input). One-hour writes cost 2× input. */
  cacheWrite: number;
  cacheRead: number;
}

export interface ModelEntry {
  /** Canonical name, the first-party alias without a date: `claude-sonnet-4-5`. */
  name: string;
  displayName: string;
  family: 'opus' | 'sonnet' | 'haiku';
  /** Other names that resolve to this model (`sonnet`, `claude-3-7-sonnet-latest`). */
  aliases: string[];
  /** First-party dated id: `claude-sonnet-4-5-20250929`. */
  anthropicId: string;
  /** The Anthropic API's own aliases for the model (`claude-sonnet-4-5`, `claude-3-7-sonnet-latest`), sent as asked. */
  firstPartyAliases: string[];
  bedrock: {
    /** Base model id: `anthropic.claude-sonnet-4-5-20250929-v1:0`. */
    baseId: string;
    /** Inference-profile scopes that exist for this model. */
    scopes: BedrockScope[];
  };
  /** Vertex AI model id: `claude-sonnet-4-5@20250929`. */
  vertexId: string;
  /** Microsoft Foundry deployment/model name, when Foundry offers the model. */
  foundryId?: string;
  contextWindow: number;
  /** A larger context window unlocked by a beta (1M for Sonnet 4 and 4.5). */
  extendedContext?: { beta: string; tokens: number };
  maxOutputTokens: number;
  prices: TokenPrices;
  /** Prices that apply to a whole request once its input passes `thresholdTokens` (1M context). */
  longContextPrices?: TokenPrices & { thresholdTokens: number };
  /** Regional (non-global) endpoints cost 10% more (Claude Sonnet 4.5 and later). */
  regionalPremium: boolean;
  /** ISO date the model was announced deprecated, and the date it retires. */
  deprecated?: string;
  retires?: string;
}

/** Where one upstream request goes. */
export interface Target {
  platform: Platform;
  /**
   * Bedrock: the AWS region whose endpoint is called. Vertex: the location
   * (`global`, `us`, `eu`, or a region such as `us-east5`). Anthropic/Foundry: unused.
   */
  region?: string;
  /** Bedrock only: the inference-profile scope, or undefined for the base model id. */
  scope?: BedrockScope;
}
