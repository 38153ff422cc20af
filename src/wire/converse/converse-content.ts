/**
 * The blocks of a Converse message as Claude's content blocks. Each Converse
 * block is a union with one member set; what Claude has no equivalent for is
 * refused with the field's path, never dropped.
 */

import { attachCachePoint } from './converse-cache-point.js';
import { claudeCitation } from './converse-citations.js';
import {
  base64At,
  converseInvalid,
  listAt,
  objectAt,
  onlyKnownFields,
  stringAt,
  unionMember,
  unsupportedField,
} from './converse-fields.js';
import { documentBlock, imageBlock, searchResultBlock } from './converse-media.js';
import { toolResultBlock, toolUseBlock } from './converse-tool-blocks.js';

const CONTENT_MEMBERS = [
  'text',
  'image',
  'document',
  'video',
  'audio',
  'toolUse',
  'toolResult',
  'guardContent',
  'cachePoint',
  'reasoningContent',
  'citationsContent',
  'searchResult',
  'toolAddition',
  'toolRemoval',
] as const;

/** Why a Converse block has no Claude equivalent. */
const REFUSED: Record<string, string> = {
  video: 'Claude has no video input.',
  audio: 'Claude has no audio input.',
  guardContent: 'it marks content for a Bedrock guardrail, and the gateway applies no guardrails.',
  toolAddition: "it changes Bedrock's tool list mid-conversation; define every tool in toolConfig.",
  toolRemoval: "it changes Bedrock's tool list mid-conversation; define every tool in toolConfig.",
};

/** A `reasoningContent` block: Claude's thinking with its signature, or redacted thinking. */
function reasoningBlock(value: unknown, path: string): Record<string, unknown> {
  const [kind, member] = unionMember(value, path, ['reasoningText', 'redactedContent'], 'a reasoning block');
  if (kind === 'redactedContent') {
    // The Converse blob holds the bytes of Claude's opaque `data` string.
    const data = Buffer.from(base64At(member, `${path}.redactedContent`), 'base64').toString('utf8');
    return { type: 'redacted_thinking', data };
  }
  const reasoning = objectAt(member, `${path}.reasoningText`);
  onlyKnownFields(reasoning, `${path}.reasoningText`, ['text', 'signature'], 'a reasoning text block');
  const block: Record<string, unknown> = {
    type: 'thinking',
    thinking: stringAt(reasoning['text'], `${path}.reasoningText.text`),
  };
  if (reasoning['signature'] !== undefined) {
    block['signature'] = stringAt(reasoning['signature'], `${path}.reasoningText.signature`);
  }
  return block;
}

/** A `citationsContent` block (an earlier answer sent back): text with its citations. */
function citationsBlock(value: unknown, path: string): Record<string, unknown> {
  const cited = objectAt(value, path);
  onlyKnownFields(cited, path, ['content', 'citations'], 'a citations content block');
  const text = listAt(cited['content'] ?? [], `${path}.content`)
    .map((part, index) =>
      stringAt(objectAt(part, `${path}.content.${index}`)['text'], `${path}.content.${index}.text`),
    )
    .join('');
  const citations = listAt(cited['citations'] ?? [], `${path}.citations`).map((citation, index) =>
    claudeCitation(citation, `${path}.citations.${index}`),
  );
  return citations.length > 0 ? { type: 'text', text, citations } : { type: 'text', text };
}

/** One Converse content block as Claude's (a cache point is applied to the previous block instead). */
function contentBlock(kind: string, member: unknown, path: string): Record<string, unknown> {
  switch (kind) {
    case 'text':
      return { type: 'text', text: stringAt(member, path) };
    case 'image':
      return imageBlock(member, path);
    case 'document':
      return documentBlock(member, path);
    case 'toolUse':
      return toolUseBlock(member, path);
    case 'toolResult':
      return toolResultBlock(member, path);
    case 'reasoningContent':
      return reasoningBlock(member, path);
    case 'citationsContent':
      return citationsBlock(member, path);
    case 'searchResult':
      return searchResultBlock(member, path);
    default:
      throw unsupportedField(path, REFUSED[kind] ?? 'Claude has no equivalent.');
  }
}

/** A message's `content` list as Claude's content blocks. */
export function contentBlocks(value: unknown, path: string): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  for (const [index, item] of listAt(value, path).entries()) {
    const itemPath = `${path}.${index}`;
    const [kind, member] = unionMember(item, itemPath, CONTENT_MEMBERS, 'a content block');
    if (kind === 'cachePoint') attachCachePoint(blocks, member, `${itemPath}.cachePoint`);
    else blocks.push(contentBlock(kind, member, `${itemPath}.${kind}`));
  }
  if (blocks.length === 0)
    throw converseInvalid(`${path} has no content: a message needs at least one block.`);
  return blocks;
}

const SYSTEM_MEMBERS = ['text', 'guardContent', 'cachePoint'] as const;

/** The `system` list as Claude's system text blocks. */
export function systemBlocks(value: unknown): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  for (const [index, item] of listAt(value, 'system').entries()) {
    const itemPath = `system.${index}`;
    const [kind, member] = unionMember(item, itemPath, SYSTEM_MEMBERS, 'a system content block');
    if (kind === 'cachePoint') attachCachePoint(blocks, member, `${itemPath}.cachePoint`);
    else if (kind === 'text') blocks.push({ type: 'text', text: stringAt(member, `${itemPath}.text`, 1) });
    else throw unsupportedField(`${itemPath}.${kind}`, REFUSED['guardContent'] as string);
  }
  return blocks;
}
