import { deprecationNotice } from '../catalog/deprecation.js';
import type { ModelEntry } from '../catalog/types.js';
import type { ClaudeLogger } from './claude-options.js';

/**
 * Warns once per model that a deprecated or retired model is in use, with
 * its retirement date (the catalog's `deprecationNotice`).
 *
 * @example
 * const warnings = new DeprecationWarnings({ warn: (message) => log.push(message) });
 * warnings.check(findModel('claude-3-5-haiku')); // logs once
 * warnings.check(findModel('claude-3-5-haiku')); // silent
 */
export class DeprecationWarnings {
  readonly #warned = new Set<string>();

  constructor(
    private readonly logger: ClaudeLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  check(model: ModelEntry | undefined): void {
    if (!model || this.#warned.has(model.name)) return;
    const notice = deprecationNotice(model, this.now());
    if (!notice) return;
    this.#warned.add(model.name);
    this.logger.warn(`claude-gateway: ${notice}`);
  }
}
