/**
 * The checks Bedrock's Converse makes on tool blocks before the model sees
 * them, with its wording: tool blocks need a `toolConfig`, each `toolResult`
 * answers a `toolUse` of the turn before, and each `toolUse` is answered in
 * the next turn.
 */

import { converseInvalid } from './converse-fields.js';

type Block = Record<string, unknown>;
type Turn = { role: string; content: Block[] };

const idsOf = (blocks: Block[], type: string, field: string): string[] =>
  blocks.filter((block) => block['type'] === type).map((block) => String(block[field]));

/** Throws Bedrock's ValidationException for tool blocks that do not pair up. */
export function checkToolPairs(turns: readonly Turn[], hasToolConfig: boolean): void {
  const usesTools = turns.some((turn) =>
    turn.content.some((block) => block['type'] === 'tool_use' || block['type'] === 'tool_result'),
  );
  if (usesTools && !hasToolConfig) {
    throw converseInvalid(
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    );
  }
  for (const [index, turn] of turns.entries()) {
    const results = idsOf(turn.content, 'tool_result', 'tool_use_id');
    const previous = index > 0 ? turns[index - 1] : undefined;
    const asked = previous?.role === 'assistant' ? idsOf(previous.content, 'tool_use', 'id') : [];
    if (results.length > asked.length || results.some((id) => !asked.includes(id))) {
      throw converseInvalid(
        `The number of toolResult blocks at messages.${index}.content exceeds the number of toolUse blocks of previous turn.`,
      );
    }
    if (turn.role !== 'assistant') continue;
    const uses = idsOf(turn.content, 'tool_use', 'id');
    const next = turns[index + 1];
    if (uses.length === 0 || !next) continue;
    const answered = idsOf(next.content, 'tool_result', 'tool_use_id');
    const missing = uses.filter((id) => !answered.includes(id));
    if (missing.length > 0) {
      throw converseInvalid(
        `Expected toolResult blocks at messages.${index + 1}.content for the following Ids: ${missing.join(', ')}`,
      );
    }
  }
}
