import type { PlatformsConfig } from '../config/schema.js';
import { BetaMemory } from '../platforms/betas.js';
import { createAdapters } from '../platforms/registry.js';
import { HttpTransport, type TransportOptions } from '../platforms/transport.js';
import { Engine, type EngineOptions } from './engine.js';

/**
 * An engine with one adapter per configured platform, all sharing the
 * engine's memory of rejected betas.
 *
 * @example
 * const engine = createEngine({ bedrock: { region: 'us-west-2' } });
 */
export function createEngine(
  platforms: PlatformsConfig,
  options: Omit<EngineOptions, 'adapters' | 'betaMemory' | 'transport'> & {
    transport?: TransportOptions;
  } = {},
): Engine {
  const betaMemory = new BetaMemory();
  const { transport, ...rest } = options;
  return new Engine({
    ...rest,
    adapters: createAdapters(platforms, betaMemory),
    betaMemory,
    transport: new HttpTransport(transport),
  });
}
