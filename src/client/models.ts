import { deprecationNotice } from '../catalog/deprecation.js';
import { listModels, resolveModel } from '../catalog/resolve.js';
import { BEDROCK_SCOPES, type BedrockScope, type ModelEntry, type Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { listAnthropicModels } from '../platforms/anthropic/list-anthropic-models.js';
import { awsServiceEndpoint } from '../platforms/aws/aws-endpoint.js';
import { BedrockAdapter } from '../platforms/bedrock/bedrock-adapter.js';
import { listBedrockModels } from '../platforms/bedrock/bedrock-models.js';
import { listVertexModels } from '../platforms/vertex/list-vertex-models.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';

/** One model as a platform lists it. */
export interface ModelListItem {
  platform: Platform;
  /** The id to call it by on this platform. */
  id: string;
  /**
   * `model` (Anthropic, Vertex, Foundry), a Bedrock `foundation-model` (base
   * id, called in-region) or `inference-profile` (a scope prefix).
   */
  kind: 'model' | 'foundation-model' | 'inference-profile';
  displayName?: string;
  /** Bedrock: the region the list came from. */
  region?: string;
  /** Bedrock inference profiles: the scope (`global`, `us`, `eu`…). */
  scope?: BedrockScope;
  /** Bedrock foundation models: `ON_DEMAND`, `INFERENCE_PROFILE`… */
  inferenceTypes?: string[];
  /** What the platform says of its state (`ACTIVE`, `LEGACY`). */
  status?: string;
  /** Where the entry came from: the platform itself, or the catalog (Vertex and Foundry have no list worth asking). */
  source: 'platform' | 'catalog';
  /** The catalog entry, when the catalog knows the model. */
  catalog?: ModelEntry;
  /** The deprecation notice, for deprecated and retired models. */
  deprecation?: string;
}

/** What the model lists need of the client. */
export interface ModelsContext {
  engine: Engine;
  platforms: PlatformsConfig;
  configured: readonly Platform[];
  now: () => Date;
}

function withCatalog(item: Omit<ModelListItem, 'catalog' | 'deprecation'>, now: Date): ModelListItem {
  const catalog = resolveModel(item.id).model;
  if (!catalog) return item;
  const deprecation = deprecationNotice(catalog, now);
  return { ...item, catalog, ...(deprecation ? { deprecation } : {}) };
}

function scopeOf(profileId: string): BedrockScope | undefined {
  const prefix = profileId.split('.', 1)[0];
  return BEDROCK_SCOPES.find((scope) => scope === prefix);
}

async function listBedrock(context: ModelsContext): Promise<Omit<ModelListItem, 'catalog'>[]> {
  const adapter = context.engine.adapters.bedrock;
  if (!(adapter instanceof BedrockAdapter)) return [];
  const controlEndpoint = awsServiceEndpoint('bedrock', context.platforms.bedrock ?? {});
  const list = await listBedrockModels({
    region: adapter.region,
    authorizer: adapter.authorizer,
    transport: context.engine.transport,
    ...(controlEndpoint ? { endpoint: controlEndpoint } : {}),
  });
  const items: Omit<ModelListItem, 'catalog'>[] = [];
  for (const model of list.foundationModels) {
    items.push({
      platform: 'bedrock',
      id: model.modelId,
      kind: 'foundation-model',
      region: list.region,
      inferenceTypes: model.inferenceTypes,
      source: 'platform',
      ...(model.modelName ? { displayName: model.modelName } : {}),
      ...(model.lifecycleStatus ? { status: model.lifecycleStatus } : {}),
    });
  }
  for (const profile of list.inferenceProfiles) {
    const scope = scopeOf(profile.id);
    items.push({
      platform: 'bedrock',
      id: profile.id,
      kind: 'inference-profile',
      region: list.region,
      source: 'platform',
      ...(scope ? { scope } : {}),
      ...(profile.name ? { displayName: profile.name } : {}),
      ...(profile.status ? { status: profile.status } : {}),
    });
  }
  return items;
}

async function listAnthropic(context: ModelsContext): Promise<Omit<ModelListItem, 'catalog'>[]> {
  const settings = context.platforms.anthropic ?? {};
  const models = await listAnthropicModels({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  return models.map((model) => ({
    platform: 'anthropic',
    id: model.id,
    kind: 'model',
    source: 'platform',
    ...(model.displayName ? { displayName: model.displayName } : {}),
  }));
}

function listVertex(): Omit<ModelListItem, 'catalog'>[] {
  return listVertexModels().map((model) => ({
    platform: 'vertex',
    id: model.id,
    kind: 'model',
    displayName: model.displayName,
    source: 'catalog',
  }));
}

/** The catalog's models on a platform that has no listing call the client makes. */
function listFromCatalog(
  platform: Platform,
  idOf: (model: ModelEntry) => string | undefined,
): Omit<ModelListItem, 'catalog'>[] {
  return listModels().flatMap((model) => {
    const id = idOf(model);
    return id
      ? [{ platform, id, kind: 'model' as const, displayName: model.displayName, source: 'catalog' as const }]
      : [];
  });
}

function listFoundry(): Omit<ModelListItem, 'catalog'>[] {
  return listModels().flatMap((model) =>
    model.foundryId
      ? [
          {
            platform: 'foundry' as const,
            id: model.foundryId,
            kind: 'model' as const,
            displayName: model.displayName,
            source: 'catalog' as const,
          },
        ]
      : [],
  );
}

/**
 * `claude.models`: the Claude models each configured platform offers, each
 * with its catalog entry when the catalog knows it.
 */
export class Models {
  constructor(private readonly context: ModelsContext) {}

  /**
   * Lists the models of one platform, or of every configured platform (the
   * first failure is thrown as a ClaudeError): Anthropic `GET /v1/models`;
   * Bedrock ListFoundationModels and ListInferenceProfiles in the configured
   * region; Vertex AI and Foundry from the catalog.
   *
   * @example
   * const models = await claude.models.list({ platform: 'bedrock' });
   * models.filter((model) => model.kind === 'inference-profile').map((model) => model.id);
   */
  async list(options: { platform?: Platform } = {}): Promise<ModelListItem[]> {
    const platforms = options.platform ? [options.platform] : this.context.configured;
    const now = this.context.now();
    const lists = await Promise.all(
      platforms.map(async (platform) => {
        if (!this.context.configured.includes(platform)) {
          throw new ClaudeError(
            GatewayError.fromCode('INVALID_REQUEST', {
              reason: `${platform} is not configured in this client (configured: ${this.context.configured.join(', ')})`,
            }),
          );
        }
        try {
          const items = await this.fetch(platform);
          return items.map((item) => withCatalog(item, now));
        } catch (error) {
          throw ClaudeError.from(error);
        }
      }),
    );
    return lists.flat();
  }

  private async fetch(platform: Platform): Promise<Omit<ModelListItem, 'catalog'>[]> {
    switch (platform) {
      case 'bedrock':
        return listBedrock(this.context);
      case 'anthropic':
        return listAnthropic(this.context);
      case 'vertex':
        return listVertex();
      case 'foundry':
        return listFoundry();
      case 'bedrock-messages':
        return listFromCatalog('bedrock-messages', (model) =>
          model.bedrock && model.bedrock.integration !== 'invoke'
            ? (model.bedrock.messagesId ?? model.bedrock.baseId)
            : undefined,
        );
      case 'claude-platform-aws':
        return listFromCatalog('claude-platform-aws', (model) => model.claudePlatformAwsId);
    }
  }
}
