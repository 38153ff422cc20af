import { descriptorOf } from '../platforms/descriptors.js';
import { CatalogError } from './catalog-error.js';
import { defaultCatalog } from './default-catalog.js';
import { BEDROCK_SCOPES, type BedrockScope, type ModelEntry, type Platform, type Target } from './types.js';

/** A name the caller gave, resolved against the catalog. */
export interface ResolvedModel {
  /** The name as the caller gave it. */
  requested: string;
  /** The catalog entry, when the name is known. */
  model: ModelEntry | undefined;
  /** Each platform's id: from the catalog, or derived by the platforms' naming rules for unknown names. */
  ids: { anthropic: string; bedrockBase: string; vertex: string; foundry: string };
  /** A Bedrock scope prefix the name carried (`us.anthropic…` → `us`). */
  bedrockScope?: BedrockScope;
  /** The region of a Bedrock ARN the name was given as. */
  arnRegion?: string;
  /** Set when the name is only meaningful on one platform (an application inference profile ARN). */
  onlyOn?: Platform;
  /**
   * Claude Code's context suffix (`claude-opus-4-8[1m]`): the 1M-token window
   * was asked for. The suffix never reaches a platform; a model whose 1M window
   * needs a beta gets that beta.
   */
  context1m?: boolean;
}

export { bedrockModelId } from '../platforms/bedrock/bedrock-model-id.js';
export { CatalogError } from './catalog-error.js';

/**
 * Every name of a model, as the index keys it: canonical name, ids on each
 * platform, aliases, and each Bedrock profile id.
 */
export function namesOf(model: ModelEntry): string[] {
  const names = [model.name, model.anthropicId, ...model.aliases, ...model.firstPartyAliases];
  if (model.bedrock) {
    names.push(model.bedrock.baseId);
    for (const scope of model.bedrock.scopes) names.push(`${scope}.${model.bedrock.baseId}`);
    const messagesId = model.bedrock.messagesId;
    if (messagesId) {
      names.push(messagesId);
      for (const scope of model.bedrock.scopes) names.push(`${scope}.${messagesId}`);
    }
  }
  if (model.vertexId) names.push(model.vertexId);
  if (model.foundryId) names.push(model.foundryId);
  if (model.claudePlatformAwsId) names.push(model.claudePlatformAwsId);
  return [...new Set(names)];
}

const ARN =
  /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):\d*:(inference-profile|foundation-model|application-inference-profile)\/(.+)$/;
const SCOPE_PREFIX = new RegExp(`^(${BEDROCK_SCOPES.join('|')})\\.(anthropic\\..+)$`);
const BEDROCK_ID = /^anthropic\.(claude-[a-z0-9.-]+?)(?:-v(\d+)(?::(\d+))?)?$/;
const DATED = /^(claude-[a-z0-9.-]+?)-(\d{8})$/;
const CONTEXT_SUFFIX = /\[1m\]$/i;
const VERTEX_DATED = /^(claude-[a-z0-9.-]+?)@(\d{8})$/;

/**
 * Resolves any name a client may send (alias, canonical name, dated id, a Bedrock
 * id with or without a scope prefix, a Bedrock ARN, a Vertex id) to one model.
 * Unknown names are never rejected: they pass through with ids derived by each
 * platform's naming rules.
 *
 * @example
 * resolveModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0').model?.name // 'claude-sonnet-4-5'
 * resolveModel('claude-opus-4-6').ids.bedrockBase // 'anthropic.claude-opus-4-6-v1' (from the catalog)
 */
export function resolveModel(requested: string): ResolvedModel {
  return defaultCatalog().resolve(requested);
}

/** Resolves a name against one catalog's index of names (lower-cased). */
export function resolveIn(index: ReadonlyMap<string, ModelEntry>, requested: string): ResolvedModel {
  let name = requested.trim();
  if (/%[0-9a-f]{2}/i.test(name)) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep the name as given
    }
  }
  const result: Partial<ResolvedModel> = {};
  if (CONTEXT_SUFFIX.test(name)) {
    result.context1m = true;
    name = name.replace(CONTEXT_SUFFIX, '');
  }
  const arn = ARN.exec(name);
  if (arn) {
    result.arnRegion = arn[1] || undefined;
    if (arn[2] === 'application-inference-profile') {
      return {
        requested,
        model: undefined,
        ids: sameEverywhere(name),
        arnRegion: result.arnRegion,
        onlyOn: 'bedrock',
        ...(result.context1m ? { context1m: true } : {}),
      };
    }
    name = arn[3] ?? name;
  }
  const scoped = SCOPE_PREFIX.exec(name);
  if (scoped) {
    result.bedrockScope = scoped[1] as BedrockScope;
    name = scoped[2] ?? name;
  }
  const model = index.get(name.toLowerCase());
  const ids = model ? idsOf(model) : deriveIds(name);
  // A name the Anthropic API itself knows is sent to it as asked (and the body need not change).
  if (model?.firstPartyAliases.includes(name)) ids.anthropic = name;
  return { requested, model, ids, ...result };
}

/** Looks a model up by any of its names; undefined when the catalog does not know it. */
export function findModel(name: string): ModelEntry | undefined {
  return resolveModel(name).model;
}

function idsOf(model: ModelEntry): ResolvedModel['ids'] {
  const derived = deriveIds(model.anthropicId);
  return {
    anthropic: model.anthropicId,
    bedrockBase: model.bedrock?.baseId ?? derived.bedrockBase,
    vertex: model.vertexId ?? derived.vertex,
    foundry: model.foundryId ?? model.name,
  };
}

function sameEverywhere(name: string): ResolvedModel['ids'] {
  return { anthropic: name, bedrockBase: name, vertex: name, foundry: name };
}

/**
 * Ids for a model the catalog does not know, by the platforms' conventions:
 * `claude-x-20260101` ↔ `anthropic.claude-x-20260101-v1:0` ↔ `claude-x@20260101`,
 * and undated newer models `claude-opus-9-1` ↔ `anthropic.claude-opus-9-1` ↔ `claude-opus-9-1`.
 */
export function deriveIds(name: string): ResolvedModel['ids'] {
  const bedrock = BEDROCK_ID.exec(name);
  if (bedrock) {
    const stem = bedrock[1] ?? name;
    const dated = DATED.exec(stem);
    return {
      anthropic: stem,
      bedrockBase: name,
      vertex: dated ? `${dated[1]}@${dated[2]}` : stem,
      foundry: dated ? (dated[1] ?? stem) : stem,
    };
  }
  const vertex = VERTEX_DATED.exec(name);
  if (vertex) {
    const anthropic = `${vertex[1]}-${vertex[2]}`;
    return {
      anthropic,
      bedrockBase: `anthropic.${anthropic}-v1:0`,
      vertex: name,
      foundry: vertex[1] ?? name,
    };
  }
  const dated = DATED.exec(name);
  if (dated) {
    return {
      anthropic: name,
      bedrockBase: `anthropic.${name}-v1:0`,
      vertex: `${dated[1]}@${dated[2]}`,
      foundry: dated[1] ?? name,
    };
  }
  if (name.startsWith('claude-')) {
    // Undated models: the same id everywhere, `anthropic.` on Bedrock (no `-v1` since Sonnet 4.6).
    return { anthropic: name, bedrockBase: `anthropic.${name}`, vertex: name, foundry: name };
  }
  return sameEverywhere(name);
}

/**
 * The upstream model id for one target.
 *
 * @example
 * modelIdForTarget(resolveModel('sonnet'), { platform: 'vertex', region: 'global' }) // 'claude-sonnet-4-5@20250929'
 */
export function modelIdForTarget(resolved: ResolvedModel, target: Target): string {
  if (resolved.onlyOn && resolved.onlyOn !== target.platform) {
    throw new CatalogError(
      `${resolved.requested} exists only on ${resolved.onlyOn}; it cannot be sent to ${target.platform}`,
      'PLATFORM_NOT_AVAILABLE',
      [resolved.onlyOn],
    );
  }
  const model = resolved.model;
  if (model && !model.offeredBy.includes(target.platform)) {
    throw new CatalogError(
      `${model.displayName} is not offered on ${descriptorOf(target.platform).displayName}; ` +
        `it is on: ${model.offeredBy.map((platform) => descriptorOf(platform).displayName).join(', ') || 'no platform'}`,
      'PLATFORM_NOT_AVAILABLE',
      model.offeredBy,
    );
  }
  return descriptorOf(target.platform).modelId(resolved, target);
}

/** Every model in the default catalog, newest first within each family as listed. */
export function listModels(): readonly ModelEntry[] {
  return defaultCatalog().list();
}
