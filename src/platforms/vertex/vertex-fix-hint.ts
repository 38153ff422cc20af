import type { GatewayError } from '../../wire/errors/gateway-error.js';
import type { HintContext } from '../descriptor.js';

/** What to do about a failure on Vertex AI. */
export function vertexHint(error: GatewayError, context: HintContext): string | undefined {
  const project = context.project ? `project ${context.project}` : 'the project';
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') {
    if (/no Google Cloud project/i.test(error.message)) {
      return 'set platforms.vertex.projectId or ANTHROPIC_VERTEX_PROJECT_ID';
    }
    return 'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file';
  }
  if (error.status === 401) return 'run `gcloud auth application-default login` again, or check the key file';
  if (error.status === 403) {
    return (
      `enable the Claude model in Vertex AI Model Garden for ${project}, enable the Vertex AI API, ` +
      'and grant the principal roles/aiplatform.user'
    );
  }
  if (error.status === 404) {
    return `enable the model in Model Garden for ${project} and check that ${context.region ?? 'the location'} offers it (global offers the most)`;
  }
  if (error.status === 429) {
    return `ask for a higher Vertex AI quota for ${project} (IAM & Admin → Quotas), or add a failover target`;
  }
  return undefined;
}
