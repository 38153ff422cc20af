/**
 * A beta name with characters no beta name has (found by the fuzzer: a
 * body's `anthropic_beta: ["שלום"]`) is refused up front with a 400 in the
 * client's dialect that names it. It used to go upstream in the
 * `anthropic-beta` header, which the HTTP client refused, so the request
 * failed over every target and ended as a 502 "Could not reach Vertex AI".
 */

import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

const gateway = useTestGateway();

const CASES = {
  anthropic: { path: '/v1/messages', extra: { model: 'claude-haiku-4-5' } },
  bedrock: {
    path: '/model/global.anthropic.claude-haiku-4-5-20251001-v1:0/invoke',
    extra: { anthropic_version: 'bedrock-2023-05-31' },
  },
  vertex: {
    path: '/v1/projects/p/locations/global/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict',
    extra: { anthropic_version: 'vertex-2023-10-16' },
  },
} as const;

describe.each(Object.keys(CASES) as (keyof typeof CASES)[])('in the %s dialect', (dialect) => {
  it.each([['שלום 🧨'], ['a beta'], ['a,b'], ['tab\there'], ['nul\u0000']])(
    'refuses the beta %j with a 400 naming it, and sends nothing upstream',
    async (beta) => {
      const { path, extra } = CASES[dialect];
      const before = gateway().emulator.state.journal.list().length;
      const response = await fetch(`${gateway().url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...extra,
          max_tokens: 16,
          messages: [{ role: 'user', content: 'hi' }],
          anthropic_beta: ['fine-grained-tool-streaming-2025-05-14', beta],
        }),
      });
      expect(response.status).toBe(400);
      const json = await readJson(response);
      const message: string = dialect === 'bedrock' ? json.message : json.error.message;
      if (dialect === 'bedrock')
        expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
      else expect(json.type).toBe('error');
      expect(message).toContain(JSON.stringify(beta));
      expect(message).toMatch(/characters beta names never have/);
      expect(gateway().emulator.state.journal.list().length).toBe(before);
    },
  );

  it('still serves ordinary betas', async () => {
    const { path, extra } = CASES[dialect];
    const response = await fetch(`${gateway().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
      body: JSON.stringify({
        ...extra,
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
        anthropic_beta: ['fine-grained-tool-streaming-2025-05-14'],
      }),
    });
    expect(response.status).toBe(200);
  });
});
