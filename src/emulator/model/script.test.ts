import { describe, expect, it } from 'vitest';
import { scriptInMessages } from './script.js';

const script = { tool_use: { name: 'Bash', input: { command: 'echo hi' } } };
const prompt = `@emulator ${JSON.stringify(script)}`;

describe('scriptInMessages', () => {
  it('finds a script in any text block of the last user message (Claude Code adds reminder blocks)', () => {
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\nToday is a day.\n</system-reminder>' },
          { type: 'text', text: prompt, cache_control: { type: 'ephemeral' } },
        ],
      },
    ];
    expect(scriptInMessages(messages)).toEqual({ script });
  });

  it('steps over role "system" entries after the user message (mid-conversation-system-2026-04-07)', () => {
    const messages = [
      { role: 'user', content: [{ type: 'text', text: prompt }] },
      { role: 'system', content: 'Available agent types for the Agent tool: …' },
    ];
    expect(scriptInMessages(messages)).toEqual({ script });
  });

  it('finds nothing once the assistant answered, nor in the tool result turn', () => {
    const answered = [
      { role: 'user', content: prompt },
      { role: 'system', content: 'reminder' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} }] },
    ];
    expect(scriptInMessages(answered)).toBeUndefined();
    const toolResult = [
      ...answered,
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'hi' }] },
    ];
    expect(scriptInMessages(toolResult)).toBeUndefined();
    expect(scriptInMessages([{ role: 'system', content: prompt }])).toBeUndefined();
  });
});
