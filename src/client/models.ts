import { deprecationNotice } from '../catalog/deprecation.js';
import { resolveModel } from '../catalog/resolve.js';
import type { BedrockScope, ModelEntry, Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';
import type { TargetDefaults } from './target-selection.js';

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
  defaults: TargetDefaults;
  now: () => Date;
}

function withCatalog(item: Omit<ModelListItem, 'catalog' | 'deprecation'>, now: Date): ModelListItem {
  const catalog = resolveModel(item.id).model;
  if (!catalog) return item;
  const deprecation = deprecationNotice(catalog, now);
  return { ...item, catalog, ...(deprecation ? { deprecation } : {}) };
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
    return descriptorOf(platform).listModels(this.context);
  }
}
