/**
 * Converse's `toolUse` and `toolResult` content blocks as Claude's
 * `tool_use` and `tool_result`: a result's `status: "error"` is `is_error`,
 * its `json` parts are text holding the JSON (Claude's tool results are text,
 * images, documents and search results).
 */

import {
  converseInvalid,
  enumAt,
  listAt,
  objectAt,
  onlyKnownFields,
  stringAt,
  unionMember,
  unsupportedField,
} from './converse-fields.js';
import { documentBlock, imageBlock, searchResultBlock } from './converse-media.js';

/** `toolUse` → `{type: "tool_use", id, name, input}`. */
export function toolUseBlock(value: unknown, path: string): Record<string, unknown> {
  const use = objectAt(value, path);
  onlyKnownFields(use, path, ['toolUseId', 'name', 'input', 'type'], 'a toolUse block');
  if (use['type'] !== undefined) {
    throw unsupportedField(
      `${path}.type`,
      "server tools are Bedrock's own; Claude's tool calls have no type.",
    );
  }
  if (use['input'] === undefined) throw converseInvalid(`${path}.input is required: the tool's input.`);
  return {
    type: 'tool_use',
    id: stringAt(use['toolUseId'], `${path}.toolUseId`, 1),
    name: stringAt(use['name'], `${path}.name`, 1),
    input: use['input'],
  };
}

const RESULT_PARTS = ['json', 'text', 'image', 'document', 'video', 'searchResult'] as const;

/** `toolResult` → `{type: "tool_result", tool_use_id, content, is_error?}`. */
export function toolResultBlock(value: unknown, path: string): Record<string, unknown> {
  const result = objectAt(value, path);
  onlyKnownFields(result, path, ['toolUseId', 'content', 'status', 'type'], 'a toolResult block');
  if (result['type'] !== undefined) {
    throw unsupportedField(
      `${path}.type`,
      "server tool results are Bedrock's own; Claude's tool results have no type.",
    );
  }
  const status =
    result['status'] === undefined
      ? 'success'
      : enumAt(result['status'], `${path}.status`, ['success', 'error'] as const);
  const parts = listAt(result['content'], `${path}.content`);
  if (parts.length === 0 && status === 'error') {
    throw converseInvalid(`The content field at ${path} cannot be empty when status value is error.`);
  }
  const content: Record<string, unknown>[] = [];
  for (const [index, part] of parts.entries()) {
    const partPath = `${path}.content.${index}`;
    const [kind, member] = unionMember(part, partPath, RESULT_PARTS, 'a tool result content block');
    const memberPath = `${partPath}.${kind}`;
    switch (kind) {
      case 'text':
        content.push({ type: 'text', text: stringAt(member, memberPath) });
        break;
      case 'json':
        content.push({ type: 'text', text: JSON.stringify(member) });
        break;
      case 'image':
        content.push(imageBlock(member, memberPath));
        break;
      case 'document':
        content.push(documentBlock(member, memberPath));
        break;
      case 'searchResult':
        content.push(searchResultBlock(member, memberPath));
        break;
      default:
        throw unsupportedField(memberPath, 'Claude has no video input.');
    }
  }
  const block: Record<string, unknown> = {
    type: 'tool_result',
    tool_use_id: stringAt(result['toolUseId'], `${path}.toolUseId`, 1),
    content,
  };
  if (status === 'error') block['is_error'] = true;
  return block;
}
