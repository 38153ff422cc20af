/**
 * Converse's `toolConfig` as Claude's `tools` and `tool_choice`: a
 * `toolSpec` is a custom tool (its `inputSchema.json` the `input_schema`), a
 * `cachePoint` caches the tools before it, `toolChoice` auto/any/tool map
 * one to one.
 */

import { attachCachePoint } from './converse-cache-point.js';
import {
  booleanAt,
  listAt,
  objectAt,
  onlyKnownFields,
  stringAt,
  unionMember,
  unsupportedField,
} from './converse-fields.js';

function toolSpec(value: unknown, path: string): Record<string, unknown> {
  const spec = objectAt(value, path);
  onlyKnownFields(spec, path, ['name', 'description', 'inputSchema', 'strict'], 'a tool specification');
  const schema = objectAt(spec['inputSchema'], `${path}.inputSchema`);
  onlyKnownFields(schema, `${path}.inputSchema`, ['json'], 'a tool input schema');
  const tool: Record<string, unknown> = {
    name: stringAt(spec['name'], `${path}.name`, 1),
    input_schema: objectAt(schema['json'], `${path}.inputSchema.json`),
  };
  if (spec['description'] !== undefined)
    tool['description'] = stringAt(spec['description'], `${path}.description`, 1);
  if (spec['strict'] !== undefined) tool['strict'] = booleanAt(spec['strict'], `${path}.strict`);
  return tool;
}

function toolChoice(value: unknown): Record<string, unknown> {
  const [kind, member] = unionMember(
    value,
    'toolConfig.toolChoice',
    ['auto', 'any', 'tool'],
    'a tool choice',
  );
  const memberPath = `toolConfig.toolChoice.${kind}`;
  const choice = objectAt(member, memberPath);
  if (kind !== 'tool') {
    onlyKnownFields(choice, memberPath, [], `the ${kind} tool choice`);
    return { type: kind };
  }
  onlyKnownFields(choice, memberPath, ['name'], 'a specific tool choice');
  return { type: 'tool', name: stringAt(choice['name'], `${memberPath}.name`, 1) };
}

/** `toolConfig` → `{tools, tool_choice?}` for the Messages body. */
export function toolFields(value: unknown): {
  tools: Record<string, unknown>[];
  tool_choice?: Record<string, unknown>;
} {
  const config = objectAt(value, 'toolConfig');
  onlyKnownFields(config, 'toolConfig', ['tools', 'toolChoice'], 'a tool configuration');
  const tools: Record<string, unknown>[] = [];
  for (const [index, item] of listAt(config['tools'], 'toolConfig.tools', 1).entries()) {
    const path = `toolConfig.tools.${index}`;
    const [kind, member] = unionMember(item, path, ['toolSpec', 'systemTool', 'cachePoint'], 'a tool');
    if (kind === 'toolSpec') tools.push(toolSpec(member, `${path}.toolSpec`));
    else if (kind === 'cachePoint') attachCachePoint(tools, member, `${path}.cachePoint`);
    else
      throw unsupportedField(
        `${path}.systemTool`,
        "system tools are Bedrock's own; define the tool with toolSpec.",
      );
  }
  return config['toolChoice'] === undefined
    ? { tools }
    : { tools, tool_choice: toolChoice(config['toolChoice']) };
}
