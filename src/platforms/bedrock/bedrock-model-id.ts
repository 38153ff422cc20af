import { CatalogError } from '../../catalog/catalog-error.js';
import type { ResolvedModel } from '../../catalog/resolve.js';
import type { BedrockScope } from '../../catalog/types.js';

/**
 * The Bedrock model id for a scope: `us.anthropic.claude-…`, or the base id
 * when no scope is given. On the Messages integration the model's Messages id
 * is used where it differs (Haiku 4.5), with the same scope prefix as
 * InvokeModel's inference profiles. Asking for a scope the model lacks throws a
 * CatalogError that lists the scopes that exist.
 *
 * @example
 * bedrockModelId(resolveModel('claude-opus-4-1'), 'us') // 'us.anthropic.claude-opus-4-1-20250805-v1:0'
 * bedrockModelId(resolveModel('claude-opus-4-1'), 'eu') // throws: … scopes that exist: us
 */
export function bedrockModelId(
  resolved: ResolvedModel,
  scope: BedrockScope | undefined,
  integration: 'invoke' | 'messages' = 'invoke',
): string {
  const messagesId = integration === 'messages' ? resolved.model?.bedrock?.messagesId : undefined;
  const base = messagesId ?? resolved.ids.bedrockBase;
  // An application inference profile ARN is sent as given.
  if (resolved.onlyOn) return resolved.requested;
  const model = resolved.model;
  if (model?.bedrock?.profileOnly && !scope) {
    throw new CatalogError(
      `${model.displayName} is offered on Amazon Bedrock only through inference profiles; ` +
        `use one of: ${model.bedrock.scopes.join(', ')}`,
      'SCOPE_NOT_AVAILABLE',
      model.bedrock.scopes,
    );
  }
  if (!scope) return base;
  if (model?.bedrock && !model.bedrock.scopes.includes(scope)) {
    throw new CatalogError(
      `${model.displayName} has no \`${scope}\` inference profile on Amazon Bedrock; ` +
        `scopes that exist: ${model.bedrock.scopes.join(', ') || 'none (use the base model id)'}`,
      'SCOPE_NOT_AVAILABLE',
      model.bedrock.scopes,
    );
  }
  return `${scope}.${base}`;
}
