import { closestModelName } from '../catalog/closest-name.js';
import { resolveModel } from '../catalog/resolve.js';
import { systemClock } from '../clock.js';
import type { GatewayConfig } from '../config/schema.js';
import { parseExpiry } from '../store/key-times.js';
import { StoreError } from '../store/store-error.js';
import { RESIDENCIES, type Residency, type Store } from '../store/types.js';
import { loadCliConfig } from './cli-config.js';
import { openCliStore } from './cli-store.js';
import { CliError, type CommandContext } from './command.js';

/* Flags and output shared by the commands that change the store (keys, users, groups, tokens). */

/** When running gateways see a change made here. */
export function takesEffect(store: Store, cache: 'key' | 'identity' = 'key'): string {
  return store.kind === 'postgres'
    ? 'at once (the store notifies every gateway sharing it)'
    : `within 30 seconds (its ${cache} cache)`;
}

/** `none` (or `never`) removes a setting in `keys update`. */
export function isNone(value: string | undefined): boolean {
  return value !== undefined && /^(none|never)$/i.test(value.trim());
}

export function expiryOf(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseExpiry(value, now);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(`--expires: ${error.message}`);
    throw error;
  }
}

export function when(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new CliError('--models needs at least one model name, e.g. --models sonnet,haiku');
  return items;
}

/**
 * A note for each allowed name that is neither a glob nor a name the catalog
 * knows: it still works (for models newer than the catalog) but only as that
 * exact string, so a slip would silently allow nothing.
 */
export function unknownModelNotes(allowed: readonly string[], owner = 'the key'): string[] {
  return allowed
    .filter((name) => !/[*?]/.test(name) && !resolveModel(name).model)
    .map((name) => {
      const near = closestModelName(name);
      return (
        `note: "${name}" is not in the model catalog; ${owner} allows it only by that exact name` +
        (near ? `. Did you mean "${near}"?` : ' (fine for a model newer than the catalog).')
      );
    });
}

export function amount(value: string | undefined, flag: string, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const valid =
    value.trim() !== '' && Number.isFinite(number) && number > 0 && (!whole || Number.isInteger(number));
  if (!valid) {
    throw new CliError(`${flag} must be a ${whole ? 'whole number' : 'number'} above 0; got "${value}"`);
  }
  return number;
}

export function residencyOf(value: string | undefined): Residency | undefined {
  if (value === undefined) return undefined;
  if (!(RESIDENCIES as readonly string[]).includes(value)) {
    throw new CliError(`--residency must be one of ${RESIDENCIES.join(', ')}; got "${value}"`);
  }
  return value as Residency;
}

/** The configuration and its store (`store.url`), created when it does not exist yet. */
export async function openConfiguredStore(
  path: string | undefined,
  context: CommandContext,
): Promise<{ config: GatewayConfig; store: Store }> {
  const { config } = loadCliConfig(path, context.env);
  return { config, store: await openCliStore(config.store.url, { mustExist: false }) };
}

/** Runs `run` on the configured store at the command's clock, and closes the store whatever happens. */
export async function withStore<Result>(
  configPath: string | undefined,
  context: CommandContext,
  run: (store: Store, now: number) => Promise<Result>,
): Promise<Result> {
  const { store } = await openConfiguredStore(configPath, context);
  try {
    return await run(store, (context.clock ?? systemClock)());
  } finally {
    await store.close();
  }
}

/** A table cell for an optional amount in US dollars, or `-`. */
export function dollarsCell(value: number | undefined): string {
  return value !== undefined ? `$${value}` : '-';
}

/** A table cell for an optional count, or `-`. */
export function countCell(value: number | undefined): string {
  return value !== undefined ? String(value) : '-';
}
