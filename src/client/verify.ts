import type { Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { ClaudeError } from './claude-error.js';
import { fixHint } from './fix-hint.js';
import type { TargetDefaults } from './target-selection.js';

/** One platform's check: what was found, or what failed and what to do about it. */
export interface PlatformCheck {
  platform: Platform;
  ok: boolean;
  /** Who the credentials act as (account, principal, project, region), or the error message. */
  detail: string;
  /** What to do about a failure. */
  hint?: string;
  error?: ClaudeError;
}

/** What the checks need of the client. */
export interface VerifyContext {
  engine: Engine;
  platforms: PlatformsConfig;
  defaults: TargetDefaults;
}

/**
 * Checks one platform's credentials with a real call: STS
 * GetCallerIdentity (or the control plane for a Bedrock API key), a Google
 * token and the project, `GET /v1/models` for the Anthropic API. Never
 * throws: a failure is a result with the error and a hint.
 */
export async function verifyPlatform(platform: Platform, context: VerifyContext): Promise<PlatformCheck> {
  try {
    return { platform, ok: true, detail: await descriptorOf(platform).verify(context) };
  } catch (caught) {
    const error = ClaudeError.from(caught);
    const region = regionOf(platform, context);
    const hint = fixHint(platform, error, {
      ...(region ? { region } : {}),
      ...(context.platforms.vertex?.projectId ? { project: context.platforms.vertex.projectId } : {}),
    });
    return { platform, ok: false, detail: error.message, ...(hint ? { hint } : {}), error };
  }
}

/** The region the platform's calls go to: its adapter's, else the default its targets use. */
function regionOf(platform: Platform, context: VerifyContext): string | undefined {
  const adapter = context.engine.adapters[platform] as { region?: unknown } | undefined;
  if (typeof adapter?.region === 'string') return adapter.region;
  return descriptorOf(platform).targets.region(context.defaults);
}
