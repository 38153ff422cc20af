import type { Hono } from 'hono';
import { VERTEX_LOCATIONS } from '../../catalog/platforms.js';
import { listModels } from '../../catalog/resolve.js';
import type { ModelEntry } from '../../catalog/types.js';
import { decodePathSegment } from '../../net/decode-path-segment.js';
import { mergeBetas } from '../../platforms/betas.js';
import { vertexDescriptor } from '../../platforms/vertex/descriptor.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { googleAuthErrorResponse } from '../auth/google-tokens.js';
import { isExtraModel } from '../extra-models.js';
import {
  clientConnection,
  type EmulatorEnv,
  isJsonContentType,
  parseJsonObject,
  rawTarget,
  readBodyLimited,
} from '../http.js';
import { journalHeaders } from '../journal.js';
import { countInputTokens } from '../model/tokens.js';
import { answerMessages, applyLeadingFault, takeFault } from '../respond/answer-messages.js';
import { platformErrorResponse } from '../respond/platform-error-response.js';
import type { EmulatorState } from '../state.js';
import { contentShapeProblem, validateMessagesBody } from '../validate-messages.js';
import { versionProblem } from '../version-rules.js';

const VERTEX_PATH =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;

const invalidRequest = (message: string) =>
  GatewayError.fromAnthropic({ status: 400, type: 'invalid_request_error', message, platform: 'vertex' });
const google = (code: number, status: string, message: string) =>
  GatewayError.fromGoogle({ code, status, message, platform: 'vertex' });

/** Vertex model ids the emulator serves: the catalog's, with or without the date, plus extras. */
function vertexModel(state: EmulatorState, id: string): ModelEntry | 'extra' | undefined {
  const model = listModels().find(
    (candidate) =>
      candidate.vertexId !== undefined &&
      (candidate.vertexId === id || candidate.vertexId.split('@')[0] === id),
  );
  if (model) return model;
  return isExtraModel(state.options.extraModels, id) ? 'extra' : undefined;
}

/** The Claude endpoints of Vertex AI: rawPredict, streamRawPredict and count-tokens:rawPredict. */
export function mountVertexRoutes(app: Hono<EmulatorEnv>, state: EmulatorState, auth: EmulatorAuth): void {
  app.post('/v1/projects/*', async (context) => {
    const { path } = rawTarget(context);
    const match = VERTEX_PATH.exec(path);
    const [project, location, modelId] = (match?.slice(1, 4) ?? []).map((segment) =>
      segment === undefined ? undefined : decodePathSegment(segment),
    );
    const countTokens = modelId === 'count-tokens';
    const journal = state.journal.add({
      platform: 'vertex',
      operation: countTokens ? 'count_tokens' : 'messages',
      method: 'POST',
      path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
      ...(location ? { region: location } : {}),
    });
    const fail = (error: GatewayError) => {
      journal.status = error.status;
      journal.errorType = error.upstreamCode ?? error.type;
      return platformErrorResponse('vertex', error);
    };
    if (!match || !project || !location || !modelId) {
      return fail(google(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`));
    }
    const bearer = auth.verifyGoogleBearer(context.req.header('authorization'));
    if (!bearer.ok) {
      journal.status = 401;
      return googleAuthErrorResponse(bearer);
    }
    const resource = `projects/${project}/locations/${location}/publishers/anthropic/models/${modelId}`;
    if (project !== auth.credentials.vertexProjectId) {
      return fail(
        google(
          403,
          'PERMISSION_DENIED',
          `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`,
        ),
      );
    }
    if (!VERTEX_LOCATIONS.includes(location) && !REGION.test(location)) {
      return fail(google(400, 'INVALID_ARGUMENT', `Location ${location} is not supported.`));
    }
    const read = await readBodyLimited(context, vertexDescriptor.maxBodyBytes);
    if (!read.ok)
      return fail(
        google(413, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${read.limit} bytes.`),
      );
    journal.bodyBytes = read.bytes.byteLength;
    if (!isJsonContentType(context)) return fail(invalidRequest('Content-Type must be application/json'));
    const parsed = parseJsonObject(read.bytes);
    if (!parsed.ok)
      return fail(google(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. ${parsed.problem}`));
    const body = parsed.value;
    journal.body = body;

    const modelName = countTokens ? String(body['model'] ?? '') : modelId;
    journal.model = modelName;
    const found = vertexModel(state, modelName);
    if (!found)
      return fail(
        google(404, 'NOT_FOUND', `Publisher Model \`${resource.replace(modelId, modelName)}\` not found.`),
      );
    const model = found === 'extra' ? undefined : found;
    if (model && state.options.deniedModels.includes(model.name)) {
      return fail(
        google(
          403,
          'PERMISSION_DENIED',
          `Permission denied on publisher model ${modelName}. Enable it in Model Garden.`,
        ),
      );
    }

    const version = body['anthropic_version'];
    if (typeof version !== 'string' || !vertexDescriptor.apiVersions.accepted.includes(version)) {
      return fail(
        invalidRequest(`anthropic_version: Input should be '${vertexDescriptor.apiVersions.accepted[0]}'`),
      );
    }
    const betas = mergeBetas(context.req.header('anthropic-beta'));
    const support = vertexDescriptor.betas;
    const unexpected = betas.filter(
      (beta) => support.rejected.includes(beta) || !support.accepted.includes(beta),
    );
    if (unexpected.length > 0) {
      return fail(
        invalidRequest(
          `Unexpected value(s) ${unexpected.map((beta) => `\`${beta}\``).join(', ')} for the \`anthropic-beta\` header. ` +
            'Please consult our documentation at docs.anthropic.com or try again without the header.',
        ),
      );
    }

    if (countTokens) {
      const fault = takeFault(
        state,
        { platform: 'vertex', region: location, modelName, stream: false },
        'count_tokens',
      );
      const early = await applyLeadingFault(
        fault,
        { platform: 'vertex', journal },
        clientConnection(context),
      );
      if (early) return early;
      if (!Array.isArray(body['messages'])) return fail(invalidRequest('messages: Field required'));
      const shape = contentShapeProblem(body);
      if (shape) return fail(invalidRequest(shape));
      journal.status = 200;
      return context.json({ input_tokens: countInputTokens(body).total });
    }

    const betaSet = new Set(betas);
    const problem =
      validateMessagesBody(body, model, betaSet) ?? versionProblem('vertex', version, model, body);
    if (problem) return fail(invalidRequest(problem));
    const stream = match[4] === 'streamRawPredict';
    journal.stream = stream;
    return answerMessages(
      state,
      {
        platform: 'vertex',
        region: location,
        model,
        modelName,
        body,
        stream,
        betas: betaSet,
        scriptHeader: context.req.header('x-emulator-script'),
        journal,
      },
      clientConnection(context),
      invalidRequest,
    );
  });
}
