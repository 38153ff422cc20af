/**
 * A Bedrock Converse request (`POST /model/{modelId}/converse[-stream]`) as
 * the Anthropic Messages body every platform takes, plus what travels beside
 * it: the betas, the request metadata for the log, and the response field
 * paths to answer with. Pure: no I/O, the same for the gateway and the
 * emulator.
 *
 * Every field of the service model is either translated or refused with a
 * ValidationException naming it: nothing is dropped silently.
 */

import { contentBlocks, systemBlocks } from './converse-content.js';
import {
  constraintFailed,
  converseInvalid,
  enumAt,
  listAt,
  numberAt,
  objectAt,
  onlyKnownFields,
  stringAt,
  unsupportedField,
} from './converse-fields.js';
import { toolFields } from './converse-tool-config.js';
import { checkToolPairs } from './converse-tool-pairs.js';
import { type JsonPointer, responseFieldPaths } from './json-pointer.js';

/** A Converse request translated for Claude. */
export interface TranslatedConverse {
  /** The Messages body: no `model`, `stream` or `anthropic_version` (each platform adds its own). */
  body: Record<string, unknown>;
  /** `additionalModelRequestFields.anthropic_beta`. */
  betas: string[];
  /** `requestMetadata`, kept in the activity log. */
  requestMetadata?: Record<string, string>;
  /** `additionalModelResponseFieldPaths`, parsed. */
  responseFieldPaths: JsonPointer[];
}

export interface ConverseTranslationOptions {
  /**
   * `max_tokens` when `inferenceConfig.maxTokens` is absent: Bedrock uses the
   * model's maximum output. Undefined when the model is unknown (then the
   * request must say it).
   */
  defaultMaxTokens: number | undefined;
  /** The model as the client named it, for messages. */
  modelId: string;
}

const TOP_LEVEL = [
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'guardrailConfig',
  'additionalModelRequestFields',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'serviceTier',
  'outputConfig',
];

/** Messages fields the Converse request itself carries: additional fields cannot replace them. */
const CONVERSE_OWNED: Record<string, string> = {
  messages: 'send the conversation as Converse messages',
  system: 'send system prompts as the Converse system list',
  model: 'the model is the modelId in the path',
  stream: 'call converse-stream to stream',
  anthropic_version: 'each platform gets the version it takes',
};

/**
 * Translates a parsed Converse request body.
 *
 * @example
 * const { body } = converseToMessages(
 *   { messages: [{ role: 'user', content: [{ text: 'Hello' }] }], inferenceConfig: { maxTokens: 512 } },
 *   { defaultMaxTokens: 64_000, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
 * );
 * // body: { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], max_tokens: 512 }
 */
export function converseToMessages(
  request: Record<string, unknown>,
  options: ConverseTranslationOptions,
): TranslatedConverse {
  onlyKnownFields(request, '', TOP_LEVEL, 'a Converse request');
  refuseBedrockOnlyFields(request);
  const body: Record<string, unknown> = { messages: conversation(request['messages']) };
  if (request['system'] !== undefined) {
    const system = systemBlocks(request['system']);
    if (system.length > 0) body['system'] = system;
  }
  Object.assign(body, inferenceFields(request['inferenceConfig'], options));
  if (request['toolConfig'] !== undefined) Object.assign(body, toolFields(request['toolConfig']));
  const outputConfig = outputConfigOf(request['outputConfig']);
  const betas = mergeAdditionalFields(body, request['additionalModelRequestFields']);
  if (outputConfig)
    body['output_config'] = { ...(body['output_config'] as object | undefined), ...outputConfig };
  checkToolPairs(
    body['messages'] as { role: string; content: Record<string, unknown>[] }[],
    Array.isArray(body['tools']) && body['tools'].length > 0,
  );
  const translated: TranslatedConverse = {
    body,
    betas,
    responseFieldPaths:
      request['additionalModelResponseFieldPaths'] === undefined
        ? []
        : responseFieldPaths(request['additionalModelResponseFieldPaths']),
  };
  const metadata = requestMetadataOf(request['requestMetadata']);
  if (metadata) translated.requestMetadata = metadata;
  return translated;
}

function conversation(value: unknown): { role: string; content: Record<string, unknown>[] }[] {
  if (value === undefined) {
    throw converseInvalid('messages is required: the conversation, a list of {"role", "content"} turns.');
  }
  const turns = listAt(value, 'messages', 1);
  return turns.map((turn, index) => {
    const path = `messages.${index}`;
    const message = objectAt(turn, path);
    onlyKnownFields(message, path, ['role', 'content'], 'a message');
    const role = enumAt(message['role'], `${path}.role`, ['user', 'assistant', 'system'] as const);
    if (role === 'system') {
      throw unsupportedField(
        `${path}.role`,
        'Claude takes system prompts in the system list, not as a message.',
      );
    }
    return { role, content: contentBlocks(message['content'], `${path}.content`) };
  });
}

function inferenceFields(value: unknown, options: ConverseTranslationOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const config = value === undefined ? {} : objectAt(value, 'inferenceConfig');
  // topK is not in the service model, yet clients (the Vercel AI SDK) send it and Claude has it.
  onlyKnownFields(
    config,
    'inferenceConfig',
    ['maxTokens', 'temperature', 'topP', 'stopSequences', 'topK'],
    'an inference configuration',
  );
  if (config['maxTokens'] !== undefined) {
    fields['max_tokens'] = numberAt(config['maxTokens'], 'inferenceConfig.maxTokens', {
      min: 1,
      integer: true,
    });
  } else if (options.defaultMaxTokens !== undefined) {
    fields['max_tokens'] = options.defaultMaxTokens;
  } else {
    throw converseInvalid(
      `inferenceConfig.maxTokens is required for ${options.modelId}: the gateway's catalog does not know this model's maximum output, which Bedrock uses when maxTokens is absent.`,
    );
  }
  if (config['temperature'] !== undefined) {
    fields['temperature'] = numberAt(config['temperature'], 'inferenceConfig.temperature', {
      min: 0,
      max: 1,
    });
  }
  if (config['topP'] !== undefined) {
    fields['top_p'] = numberAt(config['topP'], 'inferenceConfig.topP', { min: 0, max: 1 });
  }
  if (config['topK'] !== undefined) {
    fields['top_k'] = numberAt(config['topK'], 'inferenceConfig.topK', { min: 0, integer: true });
  }
  if (config['stopSequences'] !== undefined) {
    const sequences = listAt(config['stopSequences'], 'inferenceConfig.stopSequences');
    if (sequences.length > 2500) {
      throw constraintFailed(
        'inferenceConfig.stopSequences',
        'Member must have length less than or equal to 2500',
      );
    }
    const stop = sequences.map((item, index) => stringAt(item, `inferenceConfig.stopSequences.${index}`, 1));
    if (stop.length > 0) fields['stop_sequences'] = stop;
  }
  return fields;
}

/**
 * Merges `additionalModelRequestFields` into the body, as Bedrock merges them
 * into the model's request (they win over the translated fields; `tools`
 * are added to toolConfig's). Returns the betas it named.
 */
function mergeAdditionalFields(body: Record<string, unknown>, value: unknown): string[] {
  if (value === undefined) return [];
  const fields = objectAt(value, 'additionalModelRequestFields');
  let betas: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const path = `additionalModelRequestFields.${key}`;
    const owned = CONVERSE_OWNED[key];
    if (owned) throw converseInvalid(`${path} cannot be set here: ${owned}.`);
    if (key === 'anthropic_beta') {
      betas = listAt(field, path).map((beta, index) => stringAt(beta, `${path}.${index}`, 1));
      continue;
    }
    if (key === 'tools') {
      const extra = listAt(field, path).map((tool, index) => objectAt(tool, `${path}.${index}`));
      body['tools'] = [...((body['tools'] as unknown[] | undefined) ?? []), ...extra];
      continue;
    }
    body[key] = field;
  }
  return betas;
}

/** `outputConfig` as Claude's `output_config` (structured output as a JSON schema, effort). */
function outputConfigOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const config = objectAt(value, 'outputConfig');
  onlyKnownFields(config, 'outputConfig', ['textFormat', 'effort'], 'an output configuration');
  const output: Record<string, unknown> = {};
  if (config['effort'] !== undefined) output['effort'] = stringAt(config['effort'], 'outputConfig.effort', 1);
  if (config['textFormat'] !== undefined) {
    const format = objectAt(config['textFormat'], 'outputConfig.textFormat');
    onlyKnownFields(format, 'outputConfig.textFormat', ['type', 'structure'], 'an output format');
    enumAt(format['type'], 'outputConfig.textFormat.type', ['json_schema'] as const);
    const structure = objectAt(format['structure'], 'outputConfig.textFormat.structure');
    onlyKnownFields(
      structure,
      'outputConfig.textFormat.structure',
      ['jsonSchema'],
      'an output format structure',
    );
    const path = 'outputConfig.textFormat.structure.jsonSchema';
    const definition = objectAt(structure['jsonSchema'], path);
    onlyKnownFields(definition, path, ['schema', 'name', 'description'], 'a JSON schema definition');
    let schema: unknown;
    try {
      schema = JSON.parse(stringAt(definition['schema'], `${path}.schema`, 1));
    } catch (error) {
      throw converseInvalid(`${path}.schema is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = objectAt(schema, `${path}.schema`);
    // Claude's format has no name or description of its own: the description goes into the schema,
    // where the model reads it; the name only labels the schema for the caller.
    if (typeof definition['description'] === 'string' && parsed['description'] === undefined) {
      parsed['description'] = definition['description'];
    }
    output['format'] = { type: 'json_schema', schema: parsed };
  }
  return Object.keys(output).length > 0 ? output : undefined;
}

const METADATA_PATTERN = /^[a-zA-Z0-9\s:_@$#=/+,\-.]*$/;

function requestMetadataOf(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const metadata = objectAt(value, 'requestMetadata');
  const kept: Record<string, string> = {};
  for (const [key, item] of Object.entries(metadata)) {
    const path = `requestMetadata.${key}`;
    if (key.length < 1 || key.length > 256 || !METADATA_PATTERN.test(key)) {
      throw constraintFailed(
        'requestMetadata',
        'Map keys must be 1 to 256 characters of [a-zA-Z0-9\\s:_@$#=/+,-.]',
        key,
      );
    }
    const text = stringAt(item, path);
    if (text.length > 256 || !METADATA_PATTERN.test(text)) {
      throw constraintFailed(
        path,
        'Member must be at most 256 characters of [a-zA-Z0-9\\s:_@$#=/+,-.]',
        text,
      );
    }
    kept[key] = text;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** Fields that only Bedrock itself can honour: refused with what to do instead. */
function refuseBedrockOnlyFields(request: Record<string, unknown>): void {
  if (request['guardrailConfig'] !== undefined) {
    throw unsupportedField(
      'guardrailConfig',
      'Bedrock guardrails run inside Bedrock, and the gateway serves Converse from Claude on any platform, where no guardrail can be applied. Remove guardrailConfig, or call Bedrock directly to use the guardrail.',
    );
  }
  if (request['promptVariables'] !== undefined) {
    throw unsupportedField(
      'promptVariables',
      'it fills a Bedrock Prompt management prompt, and the modelId here names a Claude model.',
    );
  }
  if (request['performanceConfig'] !== undefined) {
    const config = objectAt(request['performanceConfig'], 'performanceConfig');
    onlyKnownFields(config, 'performanceConfig', ['latency'], 'a performance configuration');
    const latency = enumAt(config['latency'], 'performanceConfig.latency', [
      'standard',
      'optimized',
    ] as const);
    if (latency === 'optimized') {
      throw unsupportedField(
        'performanceConfig.latency',
        "latency-optimized inference is Bedrock's own; use standard.",
      );
    }
  }
  if (request['serviceTier'] !== undefined) {
    const tier = objectAt(request['serviceTier'], 'serviceTier');
    onlyKnownFields(tier, 'serviceTier', ['type'], 'a service tier');
    const type = enumAt(tier['type'], 'serviceTier.type', [
      'priority',
      'default',
      'flex',
      'reserved',
    ] as const);
    if (type !== 'default') {
      throw unsupportedField(
        'serviceTier.type',
        `Bedrock's ${type} tier has no equivalent on the other platforms; use default.`,
      );
    }
  }
}
