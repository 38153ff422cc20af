import { geoOfVertexLocation } from '../../catalog/platforms.js';
import type { TargetRules } from '../descriptor.js';

/** `vertex/<location>`: `global`, the `us` and `eu` multi-regions, or a region such as `us-east5`. */
export const VERTEX_TARGET_RULES: TargetRules = {
  syntax: 'global, us, eu, or a region like us-east5',
  takesRegion: true,
  parse(where, spec, defaults) {
    const location = where || defaults.vertexRegion || 'global';
    if (!/^[a-z]+(-[a-z]+\d*)?$/.test(location)) {
      throw new Error(
        `target "${spec}": "${location}" is not a Vertex location (global, us, eu, or a region like us-east5)`,
      );
    }
    return { platform: 'vertex', region: location };
  },
  key: (target) => `vertex/${target.region ?? 'global'}`,
  geo: (target) => geoOfVertexLocation(target.region ?? 'global'),
  defaults: (defaults) => [`vertex/${defaults.vertexRegion ?? 'global'}`],
  forModel: (_resolved, defaults) => ({ platform: 'vertex', region: defaults.vertexRegion ?? 'global' }),
  region: (defaults) => defaults.vertexRegion,
};
