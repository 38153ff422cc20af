import { listModels } from '../../catalog/resolve.js';

/** One Claude model as Vertex AI knows it. */
export interface VertexModelInfo {
  /** The Vertex model id, as it goes in the URL: `claude-sonnet-4-5@20250929`. */
  id: string;
  /** The catalog's canonical name: `claude-sonnet-4-5`. */
  name: string;
  displayName: string;
  contextWindow: number;
  /** The date the model retires, when it is deprecated. */
  retires?: string;
}

/**
 * The Claude models on Vertex AI, from the catalog. Vertex has no list
 * endpoint worth using for publisher models (Model Garden's list is not per
 * project and says nothing about what is enabled), so the catalog is the
 * source; a model missing here still passes through by its Vertex id.
 *
 * @example
 * listVertexModels().find((model) => model.name === 'claude-sonnet-4-5')?.id; // 'claude-sonnet-4-5@20250929'
 */
export function listVertexModels(): VertexModelInfo[] {
  return listModels().flatMap((model) => {
    if (!model.vertexId) return [];
    const info: VertexModelInfo = {
      id: model.vertexId,
      name: model.name,
      displayName: model.displayName,
      contextWindow: model.contextWindow,
    };
    if (model.retires) info.retires = model.retires;
    return [info];
  });
}
