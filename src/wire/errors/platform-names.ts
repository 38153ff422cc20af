import type { ErrorPlatform } from './types.js';

/**
 * Each platform's name as it reads in the middle of a sentence ("Could not
 * reach the Anthropic API"). Messages that start with one go through
 * {@link sentence}, so there is one name per platform and no "The The".
 */
export const PLATFORM_NAMES: Readonly<Record<ErrorPlatform, string>> = {
  anthropic: 'the Anthropic API',
  bedrock: 'Amazon Bedrock',
  'bedrock-messages': "Amazon Bedrock's Messages API",
  'claude-platform-aws': 'Claude Platform on AWS',
  vertex: 'Vertex AI',
  foundry: 'Microsoft Foundry',
  gateway: 'the gateway',
};

/** A message with its first letter capitalised: `sentence('the Anthropic API answered')` → "The Anthropic API answered". */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A number of seconds as words: "1 second", "0.5 seconds", "30 seconds".
 *
 * @example
 * seconds(1); // '1 second'
 */
export function seconds(count: number): string {
  return `${count} ${count === 1 ? 'second' : 'seconds'}`;
}
