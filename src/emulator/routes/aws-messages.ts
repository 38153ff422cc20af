import type { Hono, Next } from 'hono';
import { isRetired } from '../../catalog/deprecation.js';
import {
  BEDROCK_MESSAGES_SIGNING_NAME,
  BEDROCK_SCOPE_SOURCE_REGIONS,
  type BedrockMessagesHost,
  CLAUDE_PLATFORM_AWS_SIGNING_NAME,
  WORKSPACE_ID_HEADER,
} from '../../catalog/platforms.js';
import { resolveModel } from '../../catalog/resolve.js';
import type { ModelEntry } from '../../catalog/types.js';
import { BEDROCK_MESSAGES_SCOPES } from '../../platforms/bedrock/bedrock-targets.js';
import { mergeBetas } from '../../platforms/betas.js';
import { descriptorOf } from '../../platforms/descriptors.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { awsJsonAuthErrorResponse } from '../auth/aws-auth-failure.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { normalizeHeaders } from '../auth/signed-request.js';
import { parseCredentialScope, parseSigV4Authorization } from '../auth/sigv4-authorization.js';
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
import { journalHeaders } from '../journal.js';
import { countInputTokens } from '../model/tokens.js';
import { answerMessages } from '../respond/answer-messages.js';
import { platformErrorResponse } from '../respond/platform-error-response.js';
import type { EmulatorState } from '../state.js';
import { contentShapeProblem, validateMessagesBody } from '../validate-messages.js';
import { versionProblem } from '../version-rules.js';
import { signedRequestOf } from './bedrock-runtime.js';

/*
 * Bedrock's Messages API ("Claude in Amazon Bedrock") on both hosts, and Claude
 * Platform on AWS, on the emulator's one origin. The real hosts differ
 * (bedrock-runtime.{region}.amazonaws.com/anthropic, bedrock-mantle.{region}.api.aws/anthropic,
 * aws-external-anthropic.{region}.api.aws); here a request is told apart by:
 *  1. a path prefix: /bedrock-runtime/anthropic/v1/…, /bedrock-mantle/anthropic/v1/…,
 *     /aws-external-anthropic/v1/… (what `serve --emulate` points the adapters at);
 *  2. else the Host header's first label (a client given the real host name through a proxy);
 *  3. else the credentials on the shared paths: at /anthropic/v1/messages a SigV4 scope
 *     `bedrock` (runtime) or `bedrock-mantle`, or the Bedrock API key (Bearer: runtime,
 *     x-api-key: Mantle); at /v1/messages a SigV4 scope `aws-external-anthropic` or the
 *     workspace API key. Anything else stays Foundry's (/anthropic) or the Anthropic API's (/v1).
 */

type AwsMessagesPlatform = { kind: 'bedrock'; host: BedrockMessagesHost } | { kind: 'claude-platform-aws' };

const invalid = (platform: 'bedrock-messages' | 'claude-platform-aws') => (message: string) =>
  GatewayError.fromAnthropic({ status: 400, type: 'invalid_request_error', message, platform });

/** The SigV4 signing name of a request, or undefined when it is not SigV4-signed. */
function signingNameOf(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  if (!authorization || /^Bearer\s/i.test(authorization)) return undefined;
  const parsed = parseSigV4Authorization(authorization, headers.get('x-amz-date') ?? undefined);
  if ('ok' in parsed) return undefined;
  const scope = parseCredentialScope(parsed.credential);
  return 'ok' in scope ? undefined : scope.service;
}

function bearerOf(headers: Headers): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')?.[1];
}

/** Which AWS platform a request on a shared path is for, or undefined to leave it to Foundry / the Anthropic API. */
function claimShared(
  context: EmulatorContext,
  auth: EmulatorAuth,
  shared: 'bedrock' | 'claude-platform-aws',
): AwsMessagesPlatform | undefined {
  const headers = context.req.raw.headers;
  const label = (context.req.header('host') ?? '').split('.')[0];
  const service = signingNameOf(headers);
  if (shared === 'bedrock') {
    if (label === 'bedrock-mantle' || service === 'bedrock-mantle')
      return { kind: 'bedrock', host: 'mantle' };
    if (label === 'bedrock-runtime' || service === 'bedrock') return { kind: 'bedrock', host: 'runtime' };
    const key = auth.credentials.bedrockApiKey;
    if (headers.get('x-api-key') === key) return { kind: 'bedrock', host: 'mantle' };
    if (bearerOf(headers) === key) return { kind: 'bedrock', host: 'runtime' };
    return undefined;
  }
  if (label === 'aws-external-anthropic' || service === CLAUDE_PLATFORM_AWS_SIGNING_NAME) {
    return { kind: 'claude-platform-aws' };
  }
  if (bearerOf(headers) === auth.credentials.claudePlatformAwsApiKey) return { kind: 'claude-platform-aws' };
  return undefined;
}

/**
 * Bedrock's check of the model named in a Messages body: a Bedrock id (with an
 * inference-profile prefix the model has, callable from the region) of a model
 * on the Messages integration. A legacy model (InvokeModel only) is refused.
 */
function bedrockMessagesModel(
  state: EmulatorState,
  modelId: string,
  region: string,
): { model: ModelEntry | undefined } | { error: GatewayError } {
  const fail = invalid('bedrock-messages');
  const resolved = resolveModel(modelId);
  const known = resolved.model;
  if (!known) {
    if (isExtraModel(state.options.extraModels, modelId)) return { model: undefined };
    return {
      error: GatewayError.fromAnthropic({
        status: 404,
        type: 'not_found_error',
        message: `model: ${modelId}`,
        platform: 'bedrock-messages',
      }),
    };
  }
  if (!known.bedrock || !/(^|\.)anthropic\.claude/.test(modelId)) {
    return {
      error: fail(
        `model: ${modelId} is not a Bedrock model id; use anthropic.<model>, with a profile prefix where needed`,
      ),
    };
  }
  if (known.bedrock.integration === 'invoke') {
    return {
      error: fail(
        `model: ${modelId} is not available on the Messages API; ${known.displayName} is served through InvokeModel ` +
          '(bedrock-runtime /model/{modelId}/invoke) only.',
      ),
    };
  }
  const scope = resolved.bedrockScope;
  if (scope && (!known.bedrock.scopes.includes(scope) || !BEDROCK_MESSAGES_SCOPES.includes(scope))) {
    return { error: fail(`model: ${modelId} has no ${scope}. inference profile`) };
  }
  if (scope && scope !== 'global' && !BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(region)) {
    return { error: fail(`model: the ${scope}. inference profile cannot be called from ${region}`) };
  }
  if (!scope && known.bedrock.profileOnly) {
    return {
      error: fail(
        `model: ${known.displayName} is offered only through inference profiles; ` +
          `use one of ${known.bedrock.scopes.map((name) => `${name}.${modelId}`).join(', ')}`,
      ),
    };
  }
  if (state.options.deniedModels.includes(known.name)) {
    return {
      error: GatewayError.fromAnthropic({
        status: 403,
        type: 'permission_error',
        message: "You don't have access to the model with the specified model ID.",
        platform: 'bedrock-messages',
      }),
    };
  }
  return { model: known };
}

/** Mounts Bedrock's Messages API (both hosts) and Claude Platform on AWS. Call before the Foundry and Anthropic routes. */
export function mountAwsMessagesRoutes(
  app: Hono<EmulatorEnv>,
  state: EmulatorState,
  auth: EmulatorAuth,
): void {
  const handle = async (
    context: EmulatorContext,
    which: AwsMessagesPlatform,
    operation: 'messages' | 'count_tokens',
  ) => {
    const platform = which.kind === 'bedrock' ? 'bedrock-messages' : 'claude-platform-aws';
    const bad = invalid(platform);
    const journal = state.journal.add({
      platform,
      operation,
      method: 'POST',
      path: rawTarget(context).path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
    });
    const fail = (error: GatewayError) => {
      journal.status = error.status;
      journal.errorType = error.type;
      return platformErrorResponse(platform, error);
    };
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
    const headers = normalizeHeaders(context.req.raw.headers);
    const signed = signedRequestOf(context, read.bytes);
    let region = state.options.defaultAwsRegion;
    if (which.kind === 'bedrock') {
      const apiKey =
        which.host === 'mantle' ? (headers.get('x-api-key') ?? bearerOf(context.req.raw.headers)) : undefined;
      if (apiKey !== undefined) {
        if (apiKey !== auth.credentials.bedrockApiKey) {
          journal.status = 403;
          return awsJsonAuthErrorResponse({
            ok: false,
            status: 403,
            errorType: 'UnrecognizedClientException',
            message: 'The security token included in the request is invalid.',
          });
        }
      } else if (which.host === 'runtime') {
        const caller = await auth.verifyBedrockRequest(signed);
        if (!caller.ok) {
          journal.status = caller.status;
          return awsJsonAuthErrorResponse(caller);
        }
        if (caller.method === 'sigv4') region = caller.region;
      } else {
        const caller = await auth.verifySigV4(signed, [BEDROCK_MESSAGES_SIGNING_NAME.mantle]);
        if (!caller.ok) {
          journal.status = caller.status;
          return awsJsonAuthErrorResponse(caller);
        }
        region = caller.region;
      }
      // "Claude in Amazon Bedrock" does not take anthropic-beta (PLATFORMS-2026.md; AWS user guide).
      const betas = mergeBetas(context.req.header('anthropic-beta'));
      if (betas.length > 0) {
        return fail(
          bad(
            `anthropic-beta: beta headers are not supported on Amazon Bedrock's Messages API (got ${betas.join(', ')})`,
          ),
        );
      }
    } else {
      const bearer = bearerOf(context.req.raw.headers);
      if (bearer !== undefined && signingNameOf(context.req.raw.headers) === undefined) {
        if (bearer !== auth.credentials.claudePlatformAwsApiKey) {
          journal.status = 401;
          return platformErrorResponse(
            platform,
            GatewayError.fromAnthropic({
              status: 401,
              type: 'authentication_error',
              message: 'Invalid bearer token',
              platform,
            }),
          );
        }
      } else {
        const caller = await auth.verifySigV4(signed, [CLAUDE_PLATFORM_AWS_SIGNING_NAME]);
        if (!caller.ok) {
          journal.status = caller.status;
          return awsJsonAuthErrorResponse(caller);
        }
        region = caller.region;
      }
      const workspace = headers.get(WORKSPACE_ID_HEADER)?.trim();
      if (!workspace) {
        return fail(
          bad(
            `${WORKSPACE_ID_HEADER}: header is required. Claude Platform on AWS needs the workspace ID ` +
              "(wrkspc_…) on every request: set ANTHROPIC_AWS_WORKSPACE_ID or the client's workspaceId.",
          ),
        );
      }
      if (workspace !== auth.credentials.claudePlatformAwsWorkspaceId) {
        return fail(
          GatewayError.fromAnthropic({
            status: 404,
            type: 'not_found_error',
            message: `workspace ${workspace} was not found in ${region}`,
            platform,
          }),
        );
      }
    }
    journal.region = region;
    if (!isJsonContentType(context)) return fail(bad('Content-Type must be application/json'));
    const parsed = parseJsonObject(read.bytes);
    if (!parsed.ok)
      return fail(bad(`There was an error parsing the body of your request: ${parsed.problem}`));
    const body = parsed.value;
    journal.body = body;
    // A header on both hosts; the AWS guide's runtime example also shows the body's anthropic_version.
    if (!headers.get('anthropic-version') && typeof body['anthropic_version'] !== 'string') {
      return fail(bad('anthropic-version: header is required'));
    }
    const modelName = body['model'];
    if (typeof modelName !== 'string') return fail(bad('model: Field required'));
    journal.model = modelName;
    let model: ModelEntry | undefined;
    if (which.kind === 'bedrock') {
      const found = bedrockMessagesModel(state, modelName, region);
      if ('error' in found) return fail(found.error);
      model = found.model;
    } else {
      const known = resolveModel(modelName).model;
      // Anthropic-operated: a model past Anthropic's retirement date is gone, as on the first party.
      const retired =
        !state.options.serveRetired &&
        known !== undefined &&
        isRetired(known, state.options.clock(), platform);
      if ((!known && !isExtraModel(state.options.extraModels, modelName)) || retired) {
        return fail(
          GatewayError.fromAnthropic({
            status: 404,
            type: 'not_found_error',
            message: `model: ${modelName}`,
            platform,
          }),
        );
      }
      model = known;
    }
    if (operation === 'count_tokens') {
      const shape = Array.isArray(body['messages']) ? contentShapeProblem(body) : 'messages: Field required';
      if (shape) return fail(bad(shape));
      journal.status = 200;
      return context.json({ input_tokens: countInputTokens(body).total });
    }
    const betas = new Set(which.kind === 'bedrock' ? [] : mergeBetas(context.req.header('anthropic-beta')));
    const version = headers.get('anthropic-version') ?? String(body['anthropic_version']);
    const problem =
      validateMessagesBody(body, model, betas) ?? versionProblem(platform, version, model, body);
    if (problem) return fail(bad(problem));
    const stream = body['stream'] === true;
    journal.stream = stream;
    return answerMessages(
      state,
      {
        platform,
        region,
        model,
        modelName,
        body,
        stream,
        betas,
        scriptHeader: context.req.header('x-emulator-script'),
        journal,
      },
      clientConnection(context),
      bad,
    );
  };

  for (const operation of ['messages', 'count_tokens'] as const) {
    const suffix = operation === 'messages' ? '/v1/messages' : '/v1/messages/count_tokens';
    app.post(`/bedrock-runtime/anthropic${suffix}`, (context) =>
      handle(context, { kind: 'bedrock', host: 'runtime' }, operation),
    );
    app.post(`/bedrock-mantle/anthropic${suffix}`, (context) =>
      handle(context, { kind: 'bedrock', host: 'mantle' }, operation),
    );
    app.post(`/aws-external-anthropic${suffix}`, (context) =>
      handle(context, { kind: 'claude-platform-aws' }, operation),
    );
    app.post(`/anthropic${suffix}`, async (context, next: Next) => {
      const which = claimShared(context, auth, 'bedrock');
      if (!which) return next();
      return handle(context, which, operation);
    });
    app.post(suffix, async (context, next: Next) => {
      const which = claimShared(context, auth, 'claude-platform-aws');
      if (!which) return next();
      return handle(context, which, operation);
    });
  }
}
