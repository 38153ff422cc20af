import { describe, expect, it } from 'vitest';
import { bedrockModelPath } from './bedrock-path.js';

describe('bedrockModelPath', () => {
  it('encodes the colon as the AWS SDK does', () => {
    expect(
      bedrockModelPath('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'invoke-with-response-stream'),
    ).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream');
  });

  it('encodes an inference profile ARN into one path segment', () => {
    expect(
      bedrockModelPath(
        'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc(1)',
        'count-tokens',
      ),
    ).toBe(
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc%281%29/count-tokens',
    );
  });

  it('leaves an id without reserved characters as it is', () => {
    expect(bedrockModelPath('anthropic.claude-opus-4-6-v1', 'invoke')).toBe(
      '/model/anthropic.claude-opus-4-6-v1/invoke',
    );
  });
});
