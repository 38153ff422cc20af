/**
 * The gateway's own endpoints: health, readiness, Prometheus metrics, and
 * the model listings clients call at start (`GET /v1/models` through the
 * Anthropic SDK; `GET /inference-profiles` and `/foundation-models` through
 * the AWS SDK's Bedrock control-plane client, with its paginator).
 */

import Anthropic from '@anthropic-ai/sdk';
import {
  BedrockClient,
  ListFoundationModelsCommand,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

let setup: TestGateway;

beforeAll(async () => {
  setup = await startTestGateway({
    config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'anthropic'] }] },
  });
});
afterAll(async () => {
  await setup.close();
});

const anthropic = () => new Anthropic({ baseURL: setup.url, apiKey: 'unused', maxRetries: 0 });
const bedrock = () =>
  new BedrockClient({
    endpoint: setup.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
    maxAttempts: 1,
  });

describe('health, readiness and metrics', () => {
  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${setup.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await readJson(health)).toEqual({ status: 'ok' });
    const ready = await fetch(`${setup.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await readJson(ready)).toEqual({ status: 'ready' });
  });

  it('counts requests, attempts and cost in /metrics', async () => {
    setup.emulator.state.reset();
    setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 529, count: 2 });
    await anthropic().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'count me' }],
    });
    await anthropic()
      .messages.create({ model: 'claude-sonnet-4-5', max_tokens: 0, messages: [] })
      .catch(() => undefined);
    const response = await fetch(`${setup.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /claude_gateway_requests_total\{dialect="anthropic",status="200",model="claude-sonnet-4-5",platform="anthropic",key=""\} [1-9]/,
    );
    expect(text).toMatch(/claude_gateway_requests_total\{dialect="anthropic",status="400",[^}]*\} [1-9]/);
    expect(text).toMatch(
      /claude_gateway_refusals_total\{dialect="anthropic",reason="invalid_request_error"\} [1-9]/,
    );
    expect(text).toMatch(
      /claude_gateway_upstream_attempts_total\{platform="bedrock",region="us-east-1",outcome="failed-over"\} [1-9]/,
    );
    expect(text).toMatch(
      /claude_gateway_upstream_attempts_total\{platform="anthropic",region="",outcome="success"\} [1-9]/,
    );
    expect(text).toMatch(
      /claude_gateway_cost_usd_total\{dialect="anthropic",model="claude-sonnet-4-5",platform="anthropic",key=""\} 0\.\d*[1-9]/,
    );
    expect(text).toMatch(
      /claude_gateway_tokens_total\{type="output",model="claude-sonnet-4-5",platform="anthropic",key=""\} [1-9]/,
    );
    expect(text).toContain('claude_gateway_time_to_first_byte_seconds_bucket');
    expect(text).toMatch(/claude_gateway_requests_in_flight \d/);
    expect(text).toMatch(/claude_gateway_log_rows_dropped 0/);
    expect(text).toContain('claude_gateway_process_resident_memory_bytes');
    expect(text).toContain('claude_gateway_request_duration_seconds_bucket');
  });

  it('counts the attempts of a request that failed everywhere', async () => {
    setup.emulator.state.reset();
    setup.emulator.state.faults.add({ kind: 'http', status: 403, count: 0 });
    await anthropic()
      .messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch(() => undefined);
    setup.emulator.state.reset();
    const text = await (await fetch(`${setup.url}/metrics`)).text();
    expect(text).toMatch(
      /claude_gateway_upstream_attempts_total\{platform="anthropic",region="",outcome="failed"\} [1-9]/,
    );
  });
});

describe('GET /v1/models through the Anthropic SDK', () => {
  it('lists catalog models whose ids start with claude, page by page', async () => {
    const ids: string[] = [];
    for await (const model of anthropic().models.list({ limit: 3 })) {
      expect(model.type).toBe('model');
      expect(model.display_name).toBeTruthy();
      ids.push(model.id);
    }
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^claude/);
    expect(ids).toContain('claude-sonnet-4-5-20250929');
    const page = await anthropic().models.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
  });

  it('retrieves one model by any of its names, and 404s an unknown one', async () => {
    const model = await anthropic().models.retrieve('claude-sonnet-4-5');
    expect(model.id).toBe('claude-sonnet-4-5-20250929');
    await expect(anthropic().models.retrieve('claude-imaginary-9')).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });
});

describe('Bedrock listings through @aws-sdk/client-bedrock', () => {
  it('pages through /inference-profiles with nextToken', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateListInferenceProfiles(
      { client: bedrock(), pageSize: 4 },
      { typeEquals: 'SYSTEM_DEFINED' },
    )) {
      pages += 1;
      expect(page.inferenceProfileSummaries?.length ?? 0).toBeLessThanOrEqual(4);
      for (const profile of page.inferenceProfileSummaries ?? []) {
        expect(profile.type).toBe('SYSTEM_DEFINED');
        expect(profile.status).toBe('ACTIVE');
        ids.push(profile.inferenceProfileId ?? '');
      }
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const raw = await readJson(
      await fetch(`${setup.url}/inference-profiles?type=SYSTEM_DEFINED&maxResults=1000`),
    );
    expect(raw.inferenceProfileSummaries).toHaveLength(ids.length);
    expect(raw.nextToken).toBeUndefined();
  });

  it('lists foundation models', async () => {
    const answer = await bedrock().send(new ListFoundationModelsCommand({ byProvider: 'anthropic' }));
    const ids = (answer.modelSummaries ?? []).map((summary) => summary.modelId);
    expect(ids).toContain('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(answer.modelSummaries?.every((summary) => summary.providerName === 'Anthropic')).toBe(true);
  });
});
