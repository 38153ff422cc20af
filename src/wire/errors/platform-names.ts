import type { Platform } from '../../catalog/types.js';
import type { ErrorDialect } from '../../platforms/descriptor.js';
import { descriptorOf, PLATFORM_DESCRIPTORS } from '../../platforms/descriptors.js';
import type { ErrorPlatform } from './types.js';

/**
 * Each platform's name as it reads in the middle of a sentence (its descriptor's `displayName`: "Could not
 * reach the Anthropic API"). Messages that start with one go through
 * {@link sentence}, so there is one name per platform and no "The The".
 */
export const PLATFORM_NAMES: Readonly<Record<ErrorPlatform, string>> = {
  ...(Object.fromEntries(
    PLATFORM_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor.displayName]),
  ) as Record<Platform, string>),
  gateway: 'the gateway',
};

/**
 * The error dialect a platform answers in (its descriptor's `errorDialect`);
 * undefined for the gateway itself.
 */
export function errorDialectOf(platform: ErrorPlatform | undefined): ErrorDialect | undefined {
  return platform === undefined || platform === 'gateway' ? undefined : descriptorOf(platform).errorDialect;
}

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
