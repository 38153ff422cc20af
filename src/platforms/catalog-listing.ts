import { listModels } from '../catalog/resolve.js';
import type { Platform } from '../catalog/types.js';
import type { PlatformDescriptor, PlatformListItem } from './descriptor.js';

/**
 * A platform's models from the catalog, for platforms with no listing call worth
 * making (Vertex, Foundry, Bedrock's Messages API, Claude Platform on AWS).
 */
export function listFromCatalog(
  descriptor: Pick<PlatformDescriptor, 'name' | 'catalogId'>,
): PlatformListItem[] {
  const platform: Platform = descriptor.name;
  return listModels().flatMap((model) => {
    const id = descriptor.catalogId(model);
    return id
      ? [{ platform, id, kind: 'model' as const, displayName: model.displayName, source: 'catalog' as const }]
      : [];
  });
}
