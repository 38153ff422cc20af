import type { ResolvedModel } from '../catalog/resolve.js';
import type { BedrockScope, Geo, ModelEntry, Platform, Target } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';
import type { BetaSupport } from './beta-support.js';

/** How a platform frames a streaming answer. */
export type StreamFraming = 'sse' | 'aws-eventstream';

/** The error dialect a platform answers in: its body shape, and which clients can be given it as it is. */
export type ErrorDialect = 'anthropic' | 'bedrock' | 'vertex';

/** The regions targets default to: the Bedrock region and the Vertex location the platforms are set to. */
export interface TargetDefaults {
  bedrockRegion?: string;
  vertexRegion?: string;
}

/** Where a failing call went, to name it in advice. */
export interface HintContext {
  /** The AWS region or Vertex location. */
  region?: string;
  /** The Google Cloud project. */
  project?: string;
}

/** How a platform's targets are written, read and placed. */
export interface TargetRules {
  /** What follows the platform name in a target (`global`, `eu@eu-west-1`), for messages and help. */
  readonly syntax: string;
  /** Whether `region` (library option, `--region`) means something on this platform. */
  readonly takesRegion: boolean;
  /** Parses what follows `<platform>/` (undefined when nothing does); throws an Error naming the mistake. */
  parse(where: string | undefined, spec: string, defaults: TargetDefaults): Target;
  /** A stable name for a target: `bedrock/us@us-east-1`, `vertex/global`, `anthropic`. */
  key(target: Target): string;
  /** Where the target keeps the data, for residency rules; undefined when in no known geography. */
  geo(target: Target): Geo | undefined;
  /** The targets used when the platform is configured and no targets are given. */
  defaults(defaults: TargetDefaults): string[];
  /** The one target the library picks for a model when only the platform was chosen. */
  forModel(resolved: ResolvedModel, defaults: TargetDefaults): Target;
  /** The region a call goes to when no target names one (for hints and checks). */
  region(defaults: TargetDefaults): string | undefined;
}

/** Whose retirement dates apply to a model on the platform. */
export interface LifecycleRule {
  /** The key of the catalog's per-platform dates the platform follows (`platformLifecycle.<key>`). */
  readonly datesOf: Platform;
  /** Anthropic's dates apply when the platform has none of its own (Anthropic-operated platforms). */
  readonly anthropicDates: boolean;
}

/** The API versions a platform takes; a model's catalog row may narrow them (see `api-version-rules.ts`). */
export interface ApiVersionRule {
  /** The version written for a client whose own the platform does not take; first of `accepted` by rule. */
  readonly accepted: readonly string[];
}

/** What `claude.models.list()` and `verify()` need to call a platform: the engine and the configuration. */
export interface PlatformCallContext {
  engine: Engine;
  platforms: PlatformsConfig;
  defaults: Required<TargetDefaults>;
}

/** One model as a platform lists it (see `claude.models.list()`). */
export interface PlatformListItem {
  platform: Platform;
  id: string;
  kind: 'model' | 'foundation-model' | 'inference-profile';
  displayName?: string;
  region?: string;
  scope?: BedrockScope;
  inferenceTypes?: string[];
  status?: string;
  source: 'platform' | 'catalog';
}

/** What a platform's catalog view is drawn from (`claude-gateway models --platform P`). */
export interface CatalogViewInput {
  models: readonly ModelEntry[];
  /** `--region`: an AWS region or a Vertex location. */
  region: string | undefined;
  /** The ISO day lifecycle dates are judged by. */
  today: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** A table of the catalog as one platform sees it, its JSON form, and notes under it. */
export interface CatalogView {
  headers: string[];
  rows: string[][];
  json: unknown[];
  notes: string[];
}

/** One line of `doctor`'s report on where a platform's calls go (region, project, endpoint). */
export interface LocationLine {
  mark: '✓' | '!' | '✗';
  label: string;
  text: string;
  fix?: string;
}

/**
 * Every fact about one upstream platform, in one object. The rest of the code
 * asks the descriptor (through `descriptorOf`) instead of branching on the
 * platform's name, so adding a platform means one folder under
 * `src/platforms/<name>/` (with its descriptor listed in `descriptors.ts`)
 * plus its models in the catalog data.
 */
export interface PlatformDescriptor {
  readonly name: Platform;
  /** The platform's name as it reads mid-sentence ("Could not reach the Anthropic API"). */
  readonly displayName: string;
  /** The `platforms:` section that configures it. */
  readonly configKey: keyof PlatformsConfig;
  /** False when the section belongs to another platform (`bedrock-messages` uses `bedrock`'s): routes name it. */
  readonly ownsConfigSection: boolean;
  readonly streamFraming: StreamFraming;
  readonly errorDialect: ErrorDialect;
  /** OpenTelemetry `gen_ai.provider.name`. */
  readonly genAiProviderName: string;
  /** What `doctor` checks the credentials with. */
  readonly credentialCheck: string;
  readonly targets: TargetRules;
  readonly betas: BetaSupport;
  readonly apiVersions: ApiVersionRule;
  /** Largest request body the platform takes, in bytes. */
  readonly maxBodyBytes: number;
  readonly lifecycle: LifecycleRule;
  /** Whether the target is a regional endpoint in the pricing sense (+10% for models with a premium). */
  regionalPremium(target: Target): boolean;
  /** The id the platform knows a model by for a target; throws CatalogError when it cannot be called there. */
  modelId(resolved: ResolvedModel, target: Target): string;
  /** The model's id in the catalog for this platform, or undefined when the platform does not offer it. */
  catalogId(model: ModelEntry): string | undefined;
  /** One line on what to do about a failure, or undefined when the error says it all. */
  fixHint(error: GatewayError, context: HintContext): string | undefined;
  /** The models the platform lists (its own listing call, or the catalog). */
  listModels(context: PlatformCallContext): Promise<PlatformListItem[]>;
  /** Checks the credentials with a real call; resolves to who they act as, throws the platform's error. */
  verify(context: PlatformCallContext): Promise<string>;
  /** The catalog as this platform sees it: its ids (and scopes, locations), prices and lifecycle. */
  catalogView(input: CatalogViewInput): Promise<CatalogView>;
  /** Where the calls go, as the configuration and environment say (for `doctor`); never throws. */
  location(
    settings: PlatformsConfig,
    env: Readonly<Record<string, string | undefined>>,
  ): Promise<LocationLine>;
}
