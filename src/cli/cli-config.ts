import type { Platform } from '../catalog/types.js';
import { emulatedPlatforms, emulatedRoutes } from '../config/emulated-platforms.js';
import { ConfigError, effectivePlatforms, loadConfigFile } from '../config/load.js';
import { PLATFORM_CONFIG_KEY, platformsWithSettings } from '../config/platform-settings.js';
import type { GatewayConfig, PlatformsConfig } from '../config/schema.js';
import { type EmulatorConfig, type RunningEmulator, startEmulator } from '../emulator/server.js';
import { CliError, type CommandContext } from './command.js';

/** Where a platform's settings came from, for the output. */
export type PlatformOrigin = 'config' | 'environment' | 'emulator';

/** The configuration a command runs with, and the platforms it calls. */
export interface CliPlatforms {
  config: GatewayConfig;
  file?: string;
  platforms: PlatformsConfig;
  origins: Partial<Record<Platform, PlatformOrigin>>;
  emulator?: RunningEmulator;
  /** Stops the in-process emulator, if one was started. */
  close(): Promise<void>;
}

/** Reads the configuration file (or none), with a configuration problem as one CLI error line. */
export function loadCliConfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
): { config: GatewayConfig; file?: string } {
  try {
    return loadConfigFile(path, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 1);
    throw error;
  }
}

export const NO_PLATFORM =
  "no platform is configured. Add platforms to claude-gateway.yaml (see the README), set the platforms' usual " +
  'variables (AWS_PROFILE or AWS_REGION, ANTHROPIC_VERTEX_PROJECT_ID, ANTHROPIC_API_KEY, ANTHROPIC_FOUNDRY_RESOURCE), ' +
  'or run with --emulate to try it offline.';

/**
 * The platforms a command calls, as `serve` finds them: the file's, plus the
 * platforms' usual environment variables; or, with `emulate`, every platform
 * pointed at an in-process emulator (and its default routes when the file has none).
 */
export async function cliPlatforms(
  options: { config?: string | undefined; emulate: boolean; emulator?: EmulatorConfig },
  context: CommandContext,
): Promise<CliPlatforms> {
  const { config, file } = loadCliConfig(options.config, context.env);
  const where = file ? { file } : {};
  if (options.emulate) {
    const emulator = await startEmulator({
      port: 0,
      ...(context.clock ? { clock: context.clock } : {}),
      ...options.emulator,
    });
    const platforms = emulatedPlatforms(emulator);
    if (config.routes.length === 0) config.routes = emulatedRoutes();
    const origins: CliPlatforms['origins'] = {};
    for (const name of platformsWithSettings(platforms)) origins[name] = 'emulator';
    return { config, ...where, platforms, origins, emulator, close: () => emulator.close() };
  }
  const effective = effectivePlatforms(config.platforms, context.env);
  if (Object.keys(effective.platforms).length === 0) throw new CliError(NO_PLATFORM, 1);
  return {
    config,
    ...where,
    platforms: effective.platforms,
    origins: Object.fromEntries(
      platformsWithSettings(effective.platforms).map((name) => [
        name,
        effective.sources[PLATFORM_CONFIG_KEY[name]],
      ]),
    ),
    close: async () => {},
  };
}
