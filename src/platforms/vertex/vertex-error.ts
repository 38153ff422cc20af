import type { GatewayError, HeaderSource } from '../../wire/errors/index.js';
import { parseVertexError } from '../../wire/errors/index.js';
import { withErrorHint } from '../anthropic/with-error-hint.js';

export interface VertexErrorContext {
  /** The project the request went to, when known. */
  projectId?: string;
}

/**
 * A Vertex AI error answer as a GatewayError (Anthropic-shaped or
 * `google.rpc.Status`, also array-wrapped; the message kept), with a hint on
 * how to fix credential, permission and model-access failures.
 *
 * @example
 * parseVertexAnswerError(403, undefined, '[{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}]', { projectId: 'p' }).message;
 * // 'Permission denied (Vertex AI refused access to project p: …)'
 */
export function parseVertexAnswerError(
  status: number,
  headers: HeaderSource | undefined,
  bodyText: string,
  context: VertexErrorContext = {},
): GatewayError {
  const error = parseVertexError(status, headers, bodyText);
  const project = context.projectId ? `project ${context.projectId}` : 'the project';
  if (status === 401) {
    return withErrorHint(
      error,
      `Vertex AI did not accept the Google credentials for ${project}; run \`gcloud auth application-default login\` ` +
        'or check GOOGLE_APPLICATION_CREDENTIALS',
    );
  }
  if (status === 403) {
    return withErrorHint(
      error,
      `Vertex AI refused access to ${project} in the region the request was sent to; the principal needs the ` +
        'Vertex AI User role (roles/aiplatform.user), the Vertex AI API must be enabled, and the Claude model must ' +
        'be enabled in Model Garden; run `gcloud auth application-default login` if the credentials are not the ones meant',
    );
  }
  if (status === 404) {
    return withErrorHint(
      error,
      `the model was not found for ${project} in the region the request was sent to; enable it in Model Garden ` +
        'and check that the region offers it (the `global` endpoint offers the most models)',
    );
  }
  return error;
}
