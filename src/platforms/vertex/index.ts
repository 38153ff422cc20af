export { listVertexModels, type VertexModelInfo } from './list-vertex-models.js';
export { createVertexAdapter, VertexAdapter, type VertexAdapterOptions } from './vertex-adapter.js';
export { vertexBaseUrl } from './vertex-base-url.js';
export { parseVertexAnswerError, type VertexErrorContext } from './vertex-error.js';
export {
  encodePathSegment,
  type VertexMethod,
  type VertexModelPathParts,
  vertexModelPath,
} from './vertex-model-path.js';
export { type VertexOperation, vertexRequestBody } from './vertex-request-body.js';
