import type { Platform } from '../catalog/types.js';
import type { TargetRules } from './descriptor.js';

/**
 * Target rules for a platform with one endpoint and no region in its targets
 * (`anthropic`, `foundry`, `claude-platform-aws`: the region, if any, is the
 * configuration's). Its data is `global` unless configured otherwise.
 */
export function singleEndpointTargetRules(platform: Platform): TargetRules {
  return {
    syntax: 'nothing (no region)',
    takesRegion: false,
    parse(where, spec) {
      if (where) throw new Error(`target "${spec}": ${platform} takes no region; write "${platform}"`);
      return { platform };
    },
    key: () => platform,
    geo: () => 'global',
    defaults: () => [platform],
    forModel: () => ({ platform }),
    region: () => undefined,
  };
}
