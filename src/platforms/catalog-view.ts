import { lifecycleOn } from '../catalog/deprecation.js';
import type { ModelEntry, Platform } from '../catalog/types.js';
import type { CatalogView, CatalogViewInput, PlatformDescriptor } from './descriptor.js';

/*
 * Formatting shared by the platforms' catalog views (`claude-gateway models --platform P`).
 */

export function formatTokens(count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 1_000 && count % 1_000 === 0) return `${count / 1_000}K`;
  return String(count);
}

export function contextOf(model: ModelEntry): string {
  const base = formatTokens(model.contextWindow);
  return model.extendedContext ? `${base} (${formatTokens(model.extendedContext.tokens)} beta)` : base;
}

function dollars(value: number): string {
  return `$${Number(value.toFixed(4))}`;
}

export function priceOf(model: ModelEntry): string {
  return `${dollars(model.prices.input)} / ${dollars(model.prices.output)}`;
}

/** `retired 2026-02-19`, `deprecated, retires 2026-11-30`, or empty for a current model. */
export function deprecationOf(model: ModelEntry, today: string, platform?: Platform): string {
  const { deprecated, retires: retiresOn } = lifecycleOn(model, platform);
  if (retiresOn && retiresOn <= today) return `retired ${retiresOn}`;
  const retires = retiresOn ? `retires ${retiresOn}` : '';
  if (deprecated && deprecated <= today) return retires ? `deprecated, ${retires}` : 'deprecated';
  if (deprecated) return `deprecated from ${deprecated}${retires ? `, ${retires}` : ''}`;
  return retires;
}

/** The fields every platform's JSON rows share. */
export function commonFields(model: ModelEntry) {
  return {
    name: model.name,
    source: model.origin,
    displayName: model.displayName,
    contextWindow: model.contextWindow,
    ...(model.extendedContext ? { extendedContext: model.extendedContext } : {}),
    prices: model.prices,
    ...(model.deprecated ? { deprecated: model.deprecated } : {}),
    ...(model.retires ? { retires: model.retires } : {}),
  };
}

/**
 * A platform's ids from its descriptor's `catalogId`, for platforms with
 * nothing more to show (Bedrock's Messages API, Claude Platform on AWS).
 */
export function catalogIdView(
  descriptor: Pick<PlatformDescriptor, 'name' | 'displayName' | 'catalogId'>,
  input: CatalogViewInput,
): CatalogView {
  const offered = input.models.flatMap((model) => {
    const id = descriptor.catalogId(model);
    return id ? [{ model, id }] : [];
  });
  return {
    headers: ['MODEL', 'ID', 'CONTEXT', '$/MTOK IN / OUT', 'DEPRECATION'],
    rows: offered.map(({ model, id }) => [
      model.name,
      id,
      contextOf(model),
      priceOf(model),
      deprecationOf(model, input.today, descriptor.name),
    ]),
    json: offered.map(({ model, id }) => ({ ...commonFields(model), id })),
    notes: [`The ids ${descriptor.displayName} knows the models by.`],
  };
}
