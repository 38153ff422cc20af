/**
 * Key policy decided on what a request resolves to, and who may call at all.
 */

import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../store/types.js';
import { modelAllowed } from './callers.js';

const key = (allowedModels: string[]): ApiKeyRecord => ({
  id: 'k',
  name: 'k',
  prefix: 'cgw_test',
  hash: '0',
  createdAt: 0,
  allowedModels,
});

describe('modelAllowed', () => {
  it('matches a glob against the catalog names of the resolved model, not the text of an ARN', () => {
    const haiku = key(['*haiku*']);
    for (const model of [
      'arn:aws:bedrock:haiku:1:foundation-model/claude-opus-4-5',
      'arn:aws-haiku:bedrock:us-east-1:1:foundation-model/claude-opus-4-5',
      'arn:aws:bedrock:haiku:1:inference-profile/us.anthropic.claude-opus-4-5-20251101-v1:0',
      'claude-opus-4-5',
    ]) {
      expect(modelAllowed(haiku, model), model).toBe(false);
    }
    for (const model of [
      'claude-haiku-4-5',
      'haiku',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:us-east-1:1:foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
    ]) {
      expect(modelAllowed(haiku, model), model).toBe(true);
    }
  });

  it('matches a glob against the id an unknown model would be sent as (ARN and scope stripped)', () => {
    const haiku = key(['*haiku*']);
    expect(modelAllowed(haiku, 'claude-haiku-9')).toBe(true);
    expect(modelAllowed(haiku, 'us.anthropic.claude-haiku-9-v1')).toBe(true);
    expect(modelAllowed(haiku, 'arn:aws:bedrock:haiku:1:foundation-model/claude-made-up-9')).toBe(false);
    expect(modelAllowed(haiku, 'arn:aws-haiku:bedrock::1:foundation-model/claude-made-up-9')).toBe(false);
    expect(modelAllowed(key(['claude-*']), 'arn:aws:bedrock:us-east-1:1:foundation-model/my-model')).toBe(
      false,
    );
  });

  it('matches an exact name by the model it resolves to', () => {
    const onlyHaiku = key(['claude-haiku-4-5']);
    expect(modelAllowed(onlyHaiku, 'global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(true);
    expect(modelAllowed(onlyHaiku, 'claude-opus-4-5')).toBe(false);
    expect(
      modelAllowed(onlyHaiku, 'arn:aws:bedrock:claude-haiku-4-5:1:foundation-model/claude-opus-4-5'),
    ).toBe(false);
    const custom = key(['my-model']);
    expect(modelAllowed(custom, 'my-model')).toBe(true);
    expect(modelAllowed(custom, 'arn:aws:bedrock:us-east-1:1:foundation-model/my-model')).toBe(true);
    expect(modelAllowed(custom, 'my-model-2')).toBe(false);
    expect(modelAllowed(key([]), 'anything')).toBe(true);
  });
});
