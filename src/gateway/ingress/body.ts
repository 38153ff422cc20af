import { GatewayError } from '../../wire/errors/gateway-error.js';
import { MAX_JSON_DEPTH, scanJson } from '../../wire/json-depth.js';

/** Parses a JSON object body, or says what is wrong with it. */
export function parseJsonBody(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw GatewayError.fromCode('INVALID_JSON', { reason: (error as Error).message });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw GatewayError.fromCode('INVALID_JSON', { reason: `the body must be a JSON object, not ${kind}` });
  }
  // One scan of the bytes: nesting depth, and keys given twice (the policy would read the last
  // one, a platform perhaps the first, and the untouched bytes go upstream as they are).
  const problem = scanJson(bytes);
  if (problem?.kind === 'too-deep') {
    throw GatewayError.fromCode('INVALID_REQUEST', {
      reason: `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; flatten the deepest value`,
    });
  }
  if (problem?.kind === 'duplicate-key') {
    const where = problem.path ? `\`${problem.path}\`` : 'the top level of the body';
    throw GatewayError.fromCode('INVALID_REQUEST', {
      reason: `${where} has the key ${JSON.stringify(problem.key)} more than once; send each key once`,
    });
  }
  return value as Record<string, unknown>;
}

/** The longest model id any platform takes (Bedrock's modelId, which may be an ARN). */
const MAX_MODEL_LENGTH = 2048;

/**
 * Refuses a model name no platform could take, before it is put in a path or
 * a header upstream: too long, or with spaces or control characters.
 */
export function checkModelName(model: string, field = '`model`'): void {
  if (model.length > MAX_MODEL_LENGTH) {
    throw invalid(
      `${field} is ${model.length} characters long; model ids are at most ${MAX_MODEL_LENGTH}, e.g. "claude-sonnet-4-5"`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(model)) {
    throw invalid(
      `${field} ${JSON.stringify(model)} has spaces or characters model ids never have; send an id such as "claude-sonnet-4-5"`,
    );
  }
}

/**
 * The betas a request names, refused when one holds a character beta names
 * never have (a space, a comma, a control character, anything outside
 * printable ASCII): each is sent upstream in the `anthropic-beta` header,
 * where such a name would fail the request as if the platform could not be
 * reached (a 502) instead of saying what to fix.
 */
export function checkBetaNames(betas: string[]): string[] {
  for (const beta of betas) {
    if (!/^[\x21-\x7e]+$/.test(beta) || beta.includes(',')) {
      throw invalid(
        `the beta ${JSON.stringify(beta.length > 100 ? `${beta.slice(0, 100)}…` : beta)} (in \`anthropic-beta\` or \`anthropic_beta\`) has spaces or characters beta names never have; send names such as "fine-grained-tool-streaming-2025-05-14"`,
      );
    }
  }
  return betas;
}

/** What a JSON value is, for a message: `null`, `a number (5)`, `a list`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `a ${typeof value} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

/**
 * Each element of a content list is an object with a string `type`; what a
 * block of that type holds is the platform's to check (new block types pass).
 */
function checkBlocks(blocks: readonly unknown[], field: string): void {
  for (const [index, block] of blocks.entries()) {
    if (!block || typeof block !== 'object' || Array.isArray(block)) {
      throw invalid(
        `\`${field}[${index}]\` must be a content block, an object with a string "type" such as {"type": "text", "text": "…"}; got ${kindOf(block)}`,
      );
    }
    const type = (block as Record<string, unknown>)['type'];
    if (typeof type !== 'string') {
      throw invalid(
        `\`${field}[${index}].type\` must be a string naming the block's type, such as "text"; got ${type === undefined ? 'none' : kindOf(type)}`,
      );
    }
  }
}

function invalid(reason: string): GatewayError {
  return GatewayError.fromCode('INVALID_REQUEST', { reason });
}

/**
 * Checks the fields every Messages request needs, before any upstream is
 * tried, so a mistake costs no attempt and the message says what to fix.
 * Unknown fields, blocks and roles are not the gateway's business.
 */
export function checkMessagesShape(
  body: Record<string, unknown>,
  operation: 'messages' | 'count_tokens',
): void {
  const messages = body['messages'];
  if (messages === undefined) throw invalid('`messages` is required: a list of {"role", "content"} turns');
  if (!Array.isArray(messages)) throw invalid(`\`messages\` must be a list, got ${typeof messages}`);
  if (messages.length === 0) throw invalid('`messages` must hold at least one turn');
  for (const [index, message] of messages.entries()) {
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      throw invalid(`\`messages[${index}]\` must be an object with "role" and "content"`);
    }
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string')
      throw invalid(`\`messages[${index}].role\` must be a string such as "user"`);
    if (typeof content !== 'string' && !Array.isArray(content)) {
      throw invalid(`\`messages[${index}].content\` must be a string or a list of content blocks`);
    }
    if (Array.isArray(content)) checkBlocks(content, `messages[${index}].content`);
  }
  const system = body['system'];
  if (system !== undefined) {
    if (Array.isArray(system)) checkBlocks(system, 'system');
    else if (typeof system !== 'string') {
      throw invalid(
        `\`system\` must be a string or a list of content blocks such as {"type": "text", "text": "…"}, got ${kindOf(system)}`,
      );
    }
  }
  if (operation === 'count_tokens') return;
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined)
    throw invalid('`max_tokens` is required: the most tokens the answer may have, e.g. 1024');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw invalid(`\`max_tokens\` must be a positive whole number, got ${JSON.stringify(maxTokens)}`);
  }
  if (body['stream'] !== undefined && typeof body['stream'] !== 'boolean') {
    throw invalid(`\`stream\` must be true or false, got ${JSON.stringify(body['stream'])}`);
  }
}
