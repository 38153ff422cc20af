import { VERTEX_LOCATIONS } from '../../catalog/platforms.js';
import type { PlatformsConfig } from '../../config/schema.js';
import type { LocationLine } from '../descriptor.js';

/** The Google Cloud project and Vertex location the calls go to. */
export function vertexLocation(
  settings: PlatformsConfig,
  env: Readonly<Record<string, string | undefined>>,
): LocationLine {
  const vertex = settings.vertex ?? {};
  const project = vertex.projectId ?? env['ANTHROPIC_VERTEX_PROJECT_ID'];
  const location = vertex.region ?? env['CLOUD_ML_REGION'] ?? 'global';
  const projectText = project ? `project ${project}` : 'project from the Google credentials';
  if (VERTEX_LOCATIONS.includes(location)) {
    return { mark: '✓', label: 'project and location', text: `${projectText}, location ${location}` };
  }
  return {
    mark: '!',
    label: 'project and location',
    text: `${projectText}, location ${location} (not a location the catalog knows Claude in)`,
    fix: 'use global (the most models), us, eu, or a region such as us-east5',
  };
}
