import type { ModelEntry } from '../../catalog/types.js';
import { converseToMessages } from '../../wire/converse/converse-request.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { clientConnection, type EmulatorContext } from '../http.js';
import type { JournalEntry } from '../journal.js';
import { answerMessages } from '../respond/answer-messages.js';
import { converseShape } from '../respond/converse-shape.js';
import type { EmulatorState } from '../state.js';
import { validateMessagesBody } from '../validate-messages.js';

/** A Converse call whose path, credentials and model the runtime route has checked. */
export interface ConverseCall {
  modelId: string;
  region: string;
  model: ModelEntry | undefined;
  stream: boolean;
  journal: JournalEntry;
  fail: (error: GatewayError) => Response;
  /** Bedrock's answer to betas it does not take. */
  betaProblem: (betas: readonly string[]) => GatewayError | undefined;
  validation: (message: string) => GatewayError;
}

/**
 * Converse and ConverseStream: the request translated to the Messages body
 * (refused as Bedrock refuses it, naming the field), checked as Claude checks
 * it, answered by the scripted model in Converse's shapes, faults included.
 */
export function answerConverse(
  context: EmulatorContext,
  state: EmulatorState,
  request: Record<string, unknown>,
  call: ConverseCall,
): Promise<Response> | Response {
  let translated: ReturnType<typeof converseToMessages>;
  try {
    translated = converseToMessages(request, {
      modelId: call.modelId,
      defaultMaxTokens: call.model?.maxOutputTokens ?? 4096,
    });
  } catch (error) {
    return call.fail(call.validation(GatewayError.from(error).message));
  }
  const betaProblem = call.betaProblem(translated.betas);
  if (betaProblem) return call.fail(betaProblem);
  const betas = new Set(translated.betas);
  const invalid = validateMessagesBody(translated.body, call.model, betas);
  if (invalid) return call.fail(call.validation(invalid));
  call.journal.stream = call.stream;
  return answerMessages(
    state,
    {
      platform: 'bedrock',
      region: call.region,
      model: call.model,
      modelName: call.modelId,
      body: translated.body,
      stream: call.stream,
      betas,
      scriptHeader: context.req.header('x-emulator-script'),
      journal: call.journal,
      shape: converseShape(translated.responseFieldPaths),
    },
    clientConnection(context),
    call.validation,
  );
}
