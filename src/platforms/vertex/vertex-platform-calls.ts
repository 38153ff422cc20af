import type { PlatformCallContext, PlatformListItem } from '../descriptor.js';
import { verifyGoogleCredentials } from '../google/verify-google-credentials.js';
import { missingAdapter } from '../missing-adapter.js';
import { listVertexModels } from './list-vertex-models.js';
import { VertexAdapter } from './vertex-adapter.js';

/** Vertex AI's Claude models, from the catalog (Model Garden's list says nothing about a project). */
export async function listVertexPlatform(): Promise<PlatformListItem[]> {
  return listVertexModels().map((model) => ({
    platform: 'vertex',
    id: model.id,
    kind: 'model',
    displayName: model.displayName,
    source: 'catalog',
  }));
}

/** A Google token and the project. */
export async function verifyVertexPlatform(context: PlatformCallContext): Promise<string> {
  const adapter = context.engine.adapters.vertex;
  if (!(adapter instanceof VertexAdapter)) return missingAdapter('vertex');
  const report = await verifyGoogleCredentials(adapter.tokenSource);
  const who = report.principal ? ` as ${report.principal}` : '';
  const quota = report.quotaProjectId ? `, quota project ${report.quotaProjectId}` : '';
  return `${report.credentialType} credentials${who}, project ${report.projectId}${quota}, location ${context.defaults.vertexRegion}`;
}
