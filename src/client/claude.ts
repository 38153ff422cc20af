import { resolveModel } from '../catalog/resolve.js';
import { PLATFORMS, type Platform } from '../catalog/types.js';
import { platformSettings } from '../config/platform-settings.js';
import type { PlatformsConfig } from '../config/schema.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { planTargets } from '../engine/plan.js';
import { BedrockAdapter } from '../platforms/bedrock/bedrock-adapter.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { ResolvedTarget } from '../platforms/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';
import { type ClaudeOptions, clientSetup, type TargetChoice } from './claude-options.js';
import { DeprecationWarnings } from './deprecation-warnings.js';
import { Messages } from './messages.js';
import { Models } from './models.js';
import { type TargetDefaults, targetsFor } from './target-selection.js';
import { type PlatformCheck, verifyPlatform } from './verify.js';

/**
 * One client for Claude on every platform: Amazon Bedrock, Vertex AI,
 * Microsoft Foundry and the Anthropic API, over the same engine as the
 * gateway (catalog, adapters, retries, failover). Model names resolve to
 * each platform's ids.
 *
 * @example
 * const claude = new Claude({ platform: 'bedrock', region: 'us-west-2' });
 * const message = await claude.messages.create({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 1024,
 *   messages: [{ role: 'user', content: 'Hello' }],
 * });
 *
 * // Failover across platforms, tried in order:
 * const resilient = new Claude({
 *   targets: ['bedrock/global', 'vertex/global', 'anthropic'],
 *   platforms: { bedrock: { region: 'us-east-1' }, vertex: { projectId: 'my-project' } },
 * });
 */
export class Claude {
  readonly messages: Messages;
  readonly models: Models;
  /** The engine the calls go through (shared design with the gateway). */
  readonly engine: Engine;
  /** The platforms this client calls, with their settings. */
  readonly platforms: PlatformsConfig;
  readonly #choice: TargetChoice;
  readonly #defaults: TargetDefaults;
  readonly #warnings: DeprecationWarnings;

  /** Throws ConfigError when the options are not valid (the message names the option). */
  constructor(options: ClaudeOptions = {}) {
    const setup = clientSetup(options);
    this.platforms = setup.platforms;
    this.#choice = setup.choice;
    const timeouts = options.timeouts ?? {};
    this.engine = createEngine(setup.platforms, {
      ...(options.retry ? { retry: options.retry } : {}),
      transport: {
        ...(timeouts.connectMs !== undefined ? { connectTimeoutMs: timeouts.connectMs } : {}),
        ...(timeouts.firstByteMs !== undefined ? { firstByteTimeoutMs: timeouts.firstByteMs } : {}),
        ...(timeouts.idleMs !== undefined ? { idleTimeoutMs: timeouts.idleMs } : {}),
      },
    });
    const bedrock = this.engine.adapters.bedrock;
    const env = options.env ?? process.env;
    this.#defaults = {
      bedrockRegion: bedrock instanceof BedrockAdapter ? bedrock.region : 'us-east-1',
      vertexRegion: setup.platforms.vertex?.region ?? env['CLOUD_ML_REGION'] ?? 'global',
    };
    const now = options.now ?? (() => new Date());
    this.#warnings = new DeprecationWarnings(
      options.logger ?? { warn: (message) => console.warn(message) },
      now,
    );
    const core = {
      engine: this.engine,
      plan: (model: string, session?: string) => this.plan(model, session),
    };
    this.messages = new Messages(core);
    this.models = new Models({
      engine: this.engine,
      platforms: this.platforms,
      configured: this.configuredPlatforms(),
      defaults: this.#defaults,
      now,
    });
  }

  /** The platforms this client calls, in the order they are tried. */
  configuredPlatforms(): Platform[] {
    if (this.#choice.kind === 'per-platform') return [...this.#choice.platforms];
    const ordered: Platform[] = [];
    for (const target of this.#choice.targets) {
      if (!ordered.includes(target.platform)) ordered.push(target.platform);
    }
    for (const platform of PLATFORMS) {
      if (!descriptorOf(platform).ownsConfigSection) continue; // shares another's section: named by targets
      if (platformSettings(this.platforms, platform) && !ordered.includes(platform)) ordered.push(platform);
    }
    return ordered;
  }

  /**
   * The targets a call for this model goes to, in order, with each
   * platform's model id. Warns (once) when the model is deprecated. Throws a
   * ClaudeError (NO_ROUTE) when no target can serve the model.
   *
   * @example
   * (await claude.plan('sonnet')).map((target) => target.modelId); // ['global.anthropic.claude-sonnet-4-5-20250929-v1:0']
   */
  async plan(model: string, session?: string): Promise<ResolvedTarget[]> {
    const resolved = resolveModel(model);
    this.#warnings.check(resolved.model);
    const sticky = await this.engine.stickyTarget(session);
    const plan = planTargets({
      resolved,
      routes: [],
      defaultTargets: targetsFor(this.#choice, resolved, this.#defaults),
      platforms: this.engine.platforms(),
      ...(sticky ? { stickyTarget: sticky } : {}),
    });
    if (plan.targets.length === 0) {
      const reasons = plan.skipped.map((skip) => `${skip.target}: ${skip.reason}`).join('; ');
      throw new ClaudeError(
        GatewayError.fromCode('NO_ROUTE', { model, reason: reasons || 'no target is configured' }),
      );
    }
    return plan.targets;
  }

  /**
   * Checks each configured platform with a real call (AWS STS
   * GetCallerIdentity, a Google token and the project, an Anthropic API
   * call). Never throws: each result says what was found, or what failed
   * and what to do about it.
   *
   * @example
   * for (const check of await claude.verify()) console.log(check.platform, check.ok, check.detail, check.hint ?? '');
   */
  async verify(): Promise<PlatformCheck[]> {
    const context = { engine: this.engine, platforms: this.platforms, defaults: this.#defaults };
    return Promise.all(this.configuredPlatforms().map((platform) => verifyPlatform(platform, context)));
  }

  /** Closes the upstream connection pools. */
  async close(): Promise<void> {
    await this.engine.transport.close();
  }
}
