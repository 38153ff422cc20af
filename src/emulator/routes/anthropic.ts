import type { Hono } from 'hono';
import { isRetired } from '../../catalog/deprecation.js';
import { resolveModel } from '../../catalog/resolve.js';
import type { ModelEntry, Platform } from '../../catalog/types.js';
import { mergeBetas } from '../../platforms/betas.js';
import { descriptorOf } from '../../platforms/descriptors.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { anthropicAuthErrorResponse } from '../auth/anthropic-api-key.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { emulatorModels, isExtraModel } from '../extra-models.js';
import {
  clientConnection,
  type EmulatorContext,
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

const invalidRequest = (platform: Platform) => (message: string) =>
  GatewayError.fromAnthropic({ status: 400, type: 'invalid_request_error', message, platform });

/** The models a first-party emulator knows: the catalog plus the configured extras. */
function findFirstPartyModel(state: EmulatorState, name: string): ModelEntry | 'extra' | undefined {
  const model = resolveModel(name).model;
  if (model) return model;
  return isExtraModel(state.options.extraModels, name) ? 'extra' : undefined;
}

/**
 * The Anthropic Messages API (`/v1/messages`, `/v1/messages/count_tokens`,
 * `/v1/models`), also serving Microsoft Foundry under `/anthropic`.
 */
export function mountAnthropicRoutes(
  app: Hono<EmulatorEnv>,
  state: EmulatorState,
  auth: EmulatorAuth,
  platform: 'anthropic' | 'foundry',
  prefix: string,
): void {
  const invalid = invalidRequest(platform);

  async function readCall(context: EmulatorContext, operation: 'messages' | 'count_tokens') {
    const journal = state.journal.add({
      platform,
      operation,
      method: context.req.method,
      path: rawTarget(context).path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
    });
    const fail = (error: GatewayError) => {
      journal.status = error.status;
      journal.errorType = error.type;
      return { response: platformErrorResponse(platform, error) } as const;
    };
    const authorized = auth.verifyAnthropicApiKey(context.req.raw.headers);
    if (!authorized.ok) {
      journal.status = 401;
      journal.errorType = 'authentication_error';
      return { response: anthropicAuthErrorResponse(authorized) } as const;
    }
    if (!context.req.header('anthropic-version'))
      return fail(invalid('anthropic-version: header is required'));
    if (!isJsonContentType(context)) return fail(invalid('Content-Type must be application/json'));
    const read = await readBodyLimited(context, descriptorOf(platform).maxBodyBytes);
    if (!read.ok) {
      return fail(
        GatewayError.fromAnthropic({
          status: 413,
          type: 'request_too_large',
          message: `Request exceeds the maximum allowed number of bytes (${read.limit}).`,
          platform,
        }),
      );
    }
    journal.bodyBytes = read.bytes.byteLength;
    const parsed = parseJsonObject(read.bytes);
    if (!parsed.ok)
      return fail(invalid(`There was an error parsing the body of your request: ${parsed.problem}`));
    const body = parsed.value;
    journal.body = body;
    const modelName = body['model'];
    if (modelName === undefined) return fail(invalid('model: Field required'));
    if (typeof modelName !== 'string') return fail(invalid('model: Input should be a valid string'));
    journal.model = modelName;
    const found = findFirstPartyModel(state, modelName);
    // Anthropic-operated: a model past Anthropic's retirement date answers as an unknown one.
    const retired =
      !state.options.serveRetired &&
      found !== undefined &&
      found !== 'extra' &&
      isRetired(found, state.options.clock(), platform);
    if (!found || retired) {
      return fail(
        GatewayError.fromAnthropic({
          status: 404,
          type: 'not_found_error',
          message: `model: ${modelName}`,
          platform,
        }),
      );
    }
    const model = found === 'extra' ? undefined : found;
    if (model && state.options.deniedModels.includes(model.name)) {
      return fail(
        GatewayError.fromAnthropic({
          status: 403,
          type: 'permission_error',
          message: `Your API key does not have permission to use ${modelName}.`,
          platform,
        }),
      );
    }
    const betas = new Set(mergeBetas(context.req.header('anthropic-beta')));
    return { journal, body, model, modelName, betas } as const;
  }

  app.post(`${prefix}/v1/messages`, async (context) => {
    const call = await readCall(context, 'messages');
    if ('response' in call) return call.response;
    const problem =
      validateMessagesBody(call.body, call.model, call.betas) ??
      versionProblem(platform, context.req.header('anthropic-version') ?? '', call.model, call.body);
    if (problem) {
      call.journal.status = 400;
      return platformErrorResponse(platform, invalid(problem));
    }
    const stream = call.body['stream'] === true;
    call.journal.stream = stream;
    return answerMessages(
      state,
      {
        platform,
        region: undefined,
        model: call.model,
        modelName: call.modelName,
        body: call.body,
        stream,
        betas: call.betas,
        scriptHeader: context.req.header('x-emulator-script'),
        journal: call.journal,
      },
      clientConnection(context),
      invalid,
    );
  });

  app.post(`${prefix}/v1/messages/count_tokens`, async (context) => {
    const call = await readCall(context, 'count_tokens');
    if ('response' in call) return call.response;
    const fault = takeFault(
      state,
      { platform, region: undefined, modelName: call.modelName, stream: false },
      'count_tokens',
    );
    const early = await applyLeadingFault(
      fault,
      { platform, journal: call.journal },
      clientConnection(context),
    );
    if (early) return early;
    const shape = Array.isArray(call.body['messages'])
      ? contentShapeProblem(call.body)
      : 'messages: Field required';
    if (shape) {
      call.journal.status = 400;
      return platformErrorResponse(platform, invalid(shape));
    }
    call.journal.status = 200;
    return context.json({ input_tokens: countInputTokens(call.body).total });
  });

  const modelInfo = (model: ModelEntry) => ({
    type: 'model',
    id: model.anthropicId,
    display_name: model.displayName,
    created_at: `${model.anthropicId.slice(-8, -4)}-${model.anthropicId.slice(-4, -2)}-${model.anthropicId.slice(-2)}T00:00:00Z`,
  });

  app.get(`${prefix}/v1/models`, (context) => {
    const authorized = auth.verifyAnthropicApiKey(context.req.raw.headers);
    if (!authorized.ok) return anthropicAuthErrorResponse(authorized);
    state.journal.add({
      platform,
      operation: 'models',
      method: 'GET',
      path: rawTarget(context).path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
      status: 200,
    });
    const models = emulatorModels(state.options.extraModels)
      .filter(
        (model) => model.offeredBy.includes(platform) && !isRetired(model, state.options.clock(), platform),
      )
      .map(modelInfo);
    const limit = Math.min(1000, Number(context.req.query('limit') ?? 20) || 20);
    const after = context.req.query('after_id');
    const start = after ? models.findIndex((model) => model.id === after) + 1 : 0;
    const page = models.slice(start, start + limit);
    return context.json({
      data: page,
      has_more: start + limit < models.length,
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
    });
  });

  app.get(`${prefix}/v1/models/:id`, (context) => {
    const authorized = auth.verifyAnthropicApiKey(context.req.raw.headers);
    if (!authorized.ok) return anthropicAuthErrorResponse(authorized);
    const model = resolveModel(context.req.param('id')).model;
    if (!model) {
      return platformErrorResponse(
        platform,
        GatewayError.fromAnthropic({
          status: 404,
          type: 'not_found_error',
          message: `model: ${context.req.param('id')}`,
          platform,
        }),
      );
    }
    return context.json(modelInfo(model));
  });
}
