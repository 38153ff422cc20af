/** The Bedrock runtime operations on a model. */
export type BedrockModelOperation = 'invoke' | 'invoke-with-response-stream' | 'count-tokens';

/**
 * The path of a Bedrock runtime operation, with the model id encoded as the
 * AWS SDK encodes a path label (`:` → `%3A`, `/` of an ARN → `%2F`), so the
 * signature is computed over the same bytes the AWS SDK would send.
 *
 * @example
 * bedrockModelPath('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'invoke');
 * // '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke'
 */
export function bedrockModelPath(modelId: string, operation: BedrockModelOperation): string {
  return `/model/${encodePathLabel(modelId)}/${operation}`;
}

/** Smithy's `extendedEncodeURIComponent`: encodeURIComponent plus `!'()*`. */
function encodePathLabel(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
