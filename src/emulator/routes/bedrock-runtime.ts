import type { Hono } from 'hono';
import { BEDROCK_SCOPE_SOURCE_REGIONS } from '../../catalog/platforms.js';
import { resolveModel } from '../../catalog/resolve.js';
import type { ModelEntry } from '../../catalog/types.js';
import { decodePathSegment } from '../../net/decode-path-segment.js';
import { bedrockDescriptor } from '../../platforms/bedrock/descriptor.js';
import { converseToMessages } from '../../wire/converse/converse-request.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { awsJsonAuthErrorResponse } from '../auth/aws-auth-failure.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import type { SignedRequest } from '../auth/signed-request.js';
import { isExtraModel } from '../extra-models.js';
import {
  clientConnection,
  type EmulatorContext,
  type EmulatorEnv,
  isJsonContentType,
  parseJsonObject,
  rawTarget,
  readBodyLimited,
} from '../http.js';
import { type JournalEntry, journalHeaders } from '../journal.js';
import { countInputTokens } from '../model/tokens.js';
import { answerMessages, applyLeadingFault, takeFault } from '../respond/answer-messages.js';
import { platformErrorResponse } from '../respond/platform-error-response.js';
import type { EmulatorState } from '../state.js';
import { contentShapeProblem, validateMessagesBody } from '../validate-messages.js';
import { versionProblem } from '../version-rules.js';
import { answerConverse } from './bedrock-converse.js';

const RUNTIME_PATH =
  /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|count-tokens|converse|converse-stream)$/;
const INVALID_MODEL = 'The provided model identifier is invalid.';

const validation = (message: string) =>
  GatewayError.fromBedrock({ name: 'ValidationException', message, status: 400 });
const malformed = (detail: string) =>
  validation(`Malformed input request: ${detail}, please reformat your input and try again.`);

/**
 * Resolves a Bedrock model id the way Bedrock validates it: a base id or an
 * inference profile the model has, callable from the signing region.
 */
function bedrockModel(
  state: EmulatorState,
  modelId: string,
  region: string,
): { model: ModelEntry | undefined } | { error: GatewayError } {
  let resolved = resolveModel(modelId);
  const profile = /:application-inference-profile\/([^/]+)$/.exec(modelId)?.[1];
  if (profile && resolved.arnRegion === region) {
    // The account's own application profile, called by its ARN in its region: served as its model.
    const base = state.options.applicationProfiles.find((candidate) => candidate.id === profile)?.model;
    if (base) resolved = resolveModel(base);
  }
  const known = resolved.model;
  if (!known) {
    return isExtraModel(state.options.extraModels, modelId)
      ? { model: undefined }
      : { error: validation(INVALID_MODEL) };
  }
  const isBedrockId =
    (profile !== undefined && known !== undefined) || /(^|[./])anthropic\.claude/.test(modelId);
  if (!isBedrockId || !known.bedrock) return { error: validation(INVALID_MODEL) };
  const scope = resolved.bedrockScope;
  if (scope && !known.bedrock.scopes.includes(scope)) return { error: validation(INVALID_MODEL) };
  if (!scope && !resolved.arnRegion && !profile && known.bedrock.profileOnly) {
    return {
      error: validation(
        `Invocation of model ID ${known.bedrock.baseId} with on-demand throughput isn’t supported. ` +
          'Retry your request with the ID or ARN of an inference profile that contains this model.',
      ),
    };
  }
  if (scope && scope !== 'global' && !BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(region)) {
    return { error: validation(INVALID_MODEL) };
  }
  if (resolved.arnRegion && resolved.arnRegion !== region) return { error: validation(INVALID_MODEL) };
  if (state.options.deniedModels.includes(known.name)) {
    return {
      error: GatewayError.fromBedrock({
        name: 'AccessDeniedException',
        status: 403,
        message: "You don't have access to the model with the specified model ID.",
      }),
    };
  }
  return { model: known };
}

/** Checks the InvokeModel body as Bedrock does for Anthropic models. */
function bedrockBodyProblem(body: Record<string, unknown>): GatewayError | undefined {
  const version = body['anthropic_version'];
  if (version === undefined) return malformed('#: required key [anthropic_version] not found');
  if (typeof version !== 'string' || !bedrockDescriptor.apiVersions.accepted.includes(version)) {
    return malformed(`#/anthropic_version: ${JSON.stringify(version)} is not a valid value`);
  }
  for (const key of ['model', 'stream']) {
    if (key in body) return malformed(`#: extraneous key [${key}] is not permitted`);
  }
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  for (const [index, tool] of tools.entries()) {
    if (tool && typeof tool === 'object' && 'eager_input_streaming' in tool) {
      return malformed(`#/tools/${index}: extraneous key [eager_input_streaming] is not permitted`);
    }
  }
  const betas = body['anthropic_beta'];
  if (betas !== undefined) {
    if (!Array.isArray(betas) || betas.some((beta) => typeof beta !== 'string')) {
      return malformed('#/anthropic_beta: expected type: JSONArray of strings');
    }
    return betaProblem(betas);
  }
  return undefined;
}

/** Bedrock's answer to a beta it does not take. */
function betaProblem(betas: readonly string[]): GatewayError | undefined {
  const support = bedrockDescriptor.betas;
  if (betas.some((beta) => support.rejected.includes(beta) || !support.accepted.includes(beta))) {
    return validation('invalid beta flag');
  }
  return undefined;
}

/**
 * The API-version rules of the catalog for Bedrock: 2026-10-21 only for
 * Claude 4.7 and later (the legacy, ARN-versioned models answer 400;
 * PLATFORMS-2026.md), and what 2026-10-21 removed. The wording is the emulator's.
 */
function legacyVersionProblem(
  body: Record<string, unknown>,
  model: ModelEntry | undefined,
): GatewayError | undefined {
  const version = body['anthropic_version'];
  if (typeof version !== 'string') return undefined;
  const problem = versionProblem('bedrock', version, model, body);
  return problem ? validation(problem) : undefined;
}

/** Bedrock runtime: InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream and CountTokens. */
export function mountBedrockRuntimeRoutes(
  app: Hono<EmulatorEnv>,
  state: EmulatorState,
  auth: EmulatorAuth,
): void {
  app.post('/model/*', async (context) => {
    const { path } = rawTarget(context);
    const match = RUNTIME_PATH.exec(path);
    const operation = match?.[2] === 'count-tokens' ? 'count_tokens' : 'messages';
    const journal = state.journal.add({
      platform: 'bedrock',
      operation: match?.[2] ?? 'unknown',
      method: 'POST',
      path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
    });
    const fail = (error: GatewayError) => {
      journal.status = error.status;
      journal.errorType = error.upstreamCode ?? error.type;
      return platformErrorResponse('bedrock', error);
    };
    if (!match?.[1]) {
      return fail(
        GatewayError.fromBedrock({
          name: 'UnknownOperationException',
          status: 404,
          message: `Unknown operation: POST ${path}`,
        }),
      );
    }
    const read = await readBodyLimited(context, bedrockDescriptor.maxBodyBytes);
    if (!read.ok)
      return fail(validation(`The request body exceeds the maximum size of ${read.limit} bytes.`));
    journal.bodyBytes = read.bytes.byteLength;
    const caller = await auth.verifyBedrockRequest(signedRequestOf(context, read.bytes));
    if (!caller.ok) {
      journal.status = caller.status;
      journal.errorType = caller.errorType;
      return awsJsonAuthErrorResponse(caller);
    }
    const region = caller.method === 'sigv4' ? caller.region : state.options.defaultAwsRegion;
    journal.region = region;
    const modelId = decodePathSegment(match[1]);
    journal.model = modelId;
    if (!isJsonContentType(context))
      return fail(validation('The request content type must be application/json.'));
    const parsed = parseJsonObject(read.bytes);
    if (!parsed.ok) return fail(malformed(parsed.problem));
    journal.body = parsed.value;
    const found = bedrockModel(state, modelId, region);
    if ('error' in found) return fail(found.error);

    if (operation === 'count_tokens')
      return countTokens(context, state, parsed.value, { modelId, region, journal, fail });
    if (match[2] === 'converse' || match[2] === 'converse-stream') {
      return answerConverse(context, state, parsed.value, {
        modelId,
        region,
        model: found.model,
        stream: match[2] === 'converse-stream',
        journal,
        fail,
        betaProblem,
        validation,
      });
    }

    const body = parsed.value;
    const problem = bedrockBodyProblem(body) ?? legacyVersionProblem(body, found.model);
    if (problem) return fail(problem);
    const betas = new Set(Array.isArray(body['anthropic_beta']) ? (body['anthropic_beta'] as string[]) : []);
    const invalidMessage = validateMessagesBody(body, found.model, betas);
    if (invalidMessage) return fail(validation(invalidMessage));
    const stream = match[2] === 'invoke-with-response-stream';
    journal.stream = stream;
    return answerMessages(
      state,
      {
        platform: 'bedrock',
        region,
        model: found.model,
        modelName: modelId,
        body,
        stream,
        betas,
        scriptHeader: context.req.header('x-emulator-script'),
        journal,
      },
      clientConnection(context),
      validation,
    );
  });
}

async function countTokens(
  context: EmulatorContext,
  state: EmulatorState,
  request: Record<string, unknown>,
  call: { modelId: string; region: string; journal: JournalEntry; fail: (error: GatewayError) => Response },
): Promise<Response> {
  const fault = takeFault(
    state,
    { platform: 'bedrock', region: call.region, modelName: call.modelId, stream: false },
    'count_tokens',
  );
  const early = await applyLeadingFault(
    fault,
    { platform: 'bedrock', journal: call.journal },
    clientConnection(context),
  );
  if (early) return early;
  const input = request['input'] as { invokeModel?: { body?: unknown }; converse?: unknown } | undefined;
  const encoded = input?.invokeModel?.body;
  if (input?.converse !== undefined && encoded === undefined) {
    return countConverseTokens(context, input.converse, call);
  }
  if (typeof encoded !== 'string') {
    return call.fail(
      validation(
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null",
      ),
    );
  }
  const decoded = parseJsonObject(Buffer.from(encoded, 'base64'));
  if (!decoded.ok) return call.fail(validation(`The invokeModel body is not valid: ${decoded.problem}`));
  call.journal.body = decoded.value;
  const shape = Array.isArray(decoded.value['messages'])
    ? contentShapeProblem(decoded.value)
    : 'messages: Field required';
  if (shape) return call.fail(validation(shape));
  call.journal.status = 200;
  return context.json({ inputTokens: countInputTokens(decoded.value).total });
}

/** CountTokens' `converse` input: counted as the Messages body it translates to. */
function countConverseTokens(
  context: EmulatorContext,
  converse: unknown,
  call: { modelId: string; journal: JournalEntry; fail: (error: GatewayError) => Response },
): Response {
  let body: Record<string, unknown>;
  try {
    if (!converse || typeof converse !== 'object' || Array.isArray(converse)) {
      throw validation('input.converse must be an object holding messages.');
    }
    body = converseToMessages(converse as Record<string, unknown>, {
      modelId: call.modelId,
      defaultMaxTokens: 1,
    }).body;
  } catch (error) {
    return call.fail(validation(GatewayError.from(error).message));
  }
  call.journal.body = body;
  call.journal.status = 200;
  return context.json({ inputTokens: countInputTokens(body).total });
}

/** The request as the client signed it: the raw path and query, not the URL parser's version. */
export function signedRequestOf(context: EmulatorContext, body: Uint8Array): SignedRequest {
  const { path, query } = rawTarget(context);
  return {
    method: context.req.method,
    path,
    query,
    headers: context.req.raw.headers,
    authority: context.req.header('host') ?? new URL(context.req.url).host,
    body,
  };
}
