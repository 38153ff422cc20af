import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

const raw = '{"lines_of_text": ["one", "two", tru';
const body = {
  model: 'claude-sonnet-4-5',
  max_tokens: 500,
  tools: [{ name: 'make_file', input_schema: { type: 'object' } }],
  messages: [
    {
      role: 'user',
      content: `Write it @emulator ${JSON.stringify({ tool_use: { name: 'make_file', raw_input: raw } })}`,
    },
  ],
};

let setup: TestGateway | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

async function ask(routes: unknown[], stream = false) {
  setup = await startTestGateway({ config: { routes } });
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14',
    },
    body: JSON.stringify({ ...body, stream }),
  });
  const message = stream ? await response.text() : await readJson(response);
  const id = response.headers.get('x-claude-gateway-request-id') ?? '';
  return {
    message,
    changes: response.headers.get('x-claude-gateway-changes'),
    activity: await setup.activity(id),
  };
}

describe('invalid tool input in whole answers (fine-grained tool streaming)', () => {
  it('passes the raw text on by default, and logs it', async () => {
    const { message, activity } = await ask([{ models: ['*'], targets: ['anthropic'] }]);
    const toolUse = message.content.find((block: { type: string }) => block.type === 'tool_use');
    expect(toolUse.input).toBe(raw);
    expect(activity.request?.changes.some((change) => change.startsWith('passed-invalid-tool-input:'))).toBe(
      true,
    );
  });

  it('wraps it as {"INVALID_JSON": raw} for a route that asks, and logs it', async () => {
    const { message, activity, changes } = await ask([
      { models: ['*'], targets: ['anthropic'], invalidToolInput: 'wrap' },
    ]);
    const toolUse = message.content.find((block: { type: string }) => block.type === 'tool_use');
    expect(toolUse.input).toEqual({ INVALID_JSON: raw });
    expect(activity.request?.changes.some((change) => change.startsWith('wrapped-invalid-tool-input:'))).toBe(
      true,
    );
    // The client is told too, like any change the gateway makes.
    expect(changes).toContain('wrapped-invalid-tool-input:');
    const logged = JSON.parse(activity.request?.responseBody ?? '{}').content.find(
      (block: { type: string }) => block.type === 'tool_use',
    );
    expect(logged.input).toEqual({ INVALID_JSON: raw });
  });

  it('logs invalid tool input in a streamed answer, which it passes on as streamed', async () => {
    const { message, activity } = await ask([{ models: ['*'], targets: ['anthropic'] }], true);
    expect(message).toContain('input_json_delta');
    expect(
      activity.request?.changes.some((change) => change.startsWith('streamed-invalid-tool-input:')),
    ).toBe(true);
  });
});
