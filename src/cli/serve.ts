import { parseArgs } from 'node:util';
import type { Catalog } from '../catalog/catalog.js';
import { configuredCatalog } from '../catalog/configured-catalog.js';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { isRetired, lifecycleOn } from '../catalog/deprecation.js';
import { systemClock } from '../clock.js';
import { EMULATED_DEFAULT_TARGETS, emulatedPlatforms } from '../config/emulated-platforms.js';
import { ConfigError, effectivePlatforms, loadConfigFile } from '../config/load.js';
import { PLATFORM_CONFIG_KEY, platformsWithSettings } from '../config/platform-settings.js';
import type { GatewayConfig, PlatformsConfig } from '../config/schema.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { targetKey } from '../engine/targets.js';
import { buildRoutingTable } from '../gateway/routing.js';
import { type RunningGateway, StartupError, startGateway } from '../gateway/server.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { checkCredentials } from '../platforms/preflight.js';
import { CliError, type CommandContext } from './command.js';
import { parsePort } from './emulate.js';

export const SERVE_HELP = `Usage: claude-gateway serve [options]

Runs the gateway: the Anthropic Messages API, Bedrock InvokeModel and Converse, and
Vertex rawPredict on one port, routed to the configured platforms, with the activity log.

Options:
  --config FILE        configuration file (default ./claude-gateway.yaml when present)
  --host H             address to listen on (default 127.0.0.1, or server.host)
  --port N             port (default 4000, or server.port; 0 picks a free one)
  --emulate            start the platform emulator in-process and send every platform to it
                       (no cloud account needed)
  --emulator-port M    the emulator's port with --emulate (default: a free port)
  -h, --help           show this help

Without --emulate, each configured platform's credentials are looked up at start
(the AWS default chain, Google Application Default Credentials, API keys), and a
platform whose credentials cannot be found stops the start with what to fix.`;

function clientHints(url: string): string[] {
  return [
    'Point clients at it:',
    `  Anthropic SDK / Claude Code:  ANTHROPIC_BASE_URL=${url}`,
    `  Claude Code on Bedrock:       CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL=${url} CLAUDE_CODE_SKIP_BEDROCK_AUTH=1`,
    `  Claude Code on Vertex:        CLAUDE_CODE_USE_VERTEX=1 ANTHROPIC_VERTEX_BASE_URL=${url}/v1 CLAUDE_CODE_SKIP_VERTEX_AUTH=1 CLOUD_ML_REGION=global ANTHROPIC_VERTEX_PROJECT_ID=any`,
    `  AWS SDK:                      new BedrockRuntimeClient({ endpoint: '${url}' })`,
  ];
}

/** `claude-gateway serve`: the gateway in the foreground until SIGINT/SIGTERM, then a graceful stop. */
export async function runServe(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      emulate: { type: 'boolean', default: false },
      'emulator-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(SERVE_HELP);
    return 0;
  }
  let config: GatewayConfig;
  let file: string | undefined;
  try {
    ({ config, file } = loadConfigFile(values.config, context.env));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 1);
    throw error;
  }
  if (values.host) config.server.host = values.host;
  if (values.port !== undefined) config.server.port = parsePort(values.port, '--port');
  if (values['emulator-port'] !== undefined && !values.emulate) {
    throw new CliError('--emulator-port only makes sense with --emulate');
  }

  let emulator: RunningEmulator | undefined;
  let platforms: PlatformsConfig;
  if (values.emulate) {
    emulator = await startEmulator({
      port: values['emulator-port'] !== undefined ? parsePort(values['emulator-port'], '--emulator-port') : 0,
      // Serve any Claude model name, so newer names (what Claude Code asks for) work offline too.
      extraModels: ['claude-*'],
      ...(context.clock ? { clock: context.clock } : {}),
    });
    platforms = emulatedPlatforms(emulator);
    // No routes of its own: each client is served by its own platform first (a Bedrock client's profile,
    // a Vertex client's location, the Anthropic API for the rest), then the others.
    config.defaultTargets ??= EMULATED_DEFAULT_TARGETS;
  } else {
    const effective = effectivePlatforms(config.platforms, context.env);
    platforms = effective.platforms;
    const configured = Object.keys(platforms);
    if (configured.length === 0) {
      throw new CliError(
        "no platform is configured. Add platforms to claude-gateway.yaml (see the README), set the platforms' usual " +
          'variables (AWS_PROFILE or AWS_REGION, ANTHROPIC_VERTEX_PROJECT_ID, ANTHROPIC_API_KEY, ANTHROPIC_FOUNDRY_RESOURCE), ' +
          'or run with --emulate to try it offline.',
        1,
      );
    }
    // The whole configuration is checked before any credential lookup (which can take seconds).
    let routing: ReturnType<typeof buildRoutingTable>;
    try {
      routing = buildRoutingTable(config, platforms, context.env);
    } catch (error) {
      throw new CliError((error as Error).message, 1);
    }
    for (const note of unconfiguredTargetNotes(config, routing)) context.out(`  note ${note}`);
    const catalog = configuredCatalog(defaultCatalog(), config);
    for (const note of retiredTargetNotes(routing, catalog, (context.clock ?? systemClock)())) {
      context.out(`  note ${note}`);
    }
    const checks = await checkCredentials(platforms, context.env);
    const missing = checks.filter((check) => !check.ok);
    for (const check of checks) {
      const source =
        effective.sources[PLATFORM_CONFIG_KEY[check.platform]] === 'environment'
          ? ' (from the environment)'
          : '';
      context.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.platform}${source}: ${check.detail}`);
    }
    if (missing.length > 0) {
      throw new CliError(
        `cannot start: no usable credentials for ${missing.map((check) => check.platform).join(', ')} (details above). ` +
          'Fix them, or remove the platform from the configuration; the gateway never falls back to the emulator silently.',
        1,
      );
    }
  }

  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      config,
      platforms,
      env: context.env,
      ...(context.clock ? { clock: context.clock } : {}),
    });
  } catch (error) {
    await emulator?.close();
    if (error instanceof StartupError) throw new CliError(error.message, 1);
    throw error;
  }
  // A promise a library forgot to handle must not take every in-flight request down with it.
  const onUnhandledRejection = (reason: unknown) =>
    gateway.context.logger.error({ err: reason }, 'unhandled promise rejection; the gateway keeps serving');
  process.on('unhandledRejection', onUnhandledRejection);
  context.out(`claude-gateway listening on ${gateway.url}${file ? ` (config ${file})` : ''}`);
  if (emulator) {
    context.out(
      `  emulator on ${emulator.url} (control API: ${emulator.url}/_emulator/, credentials: ${emulator.url}/_emulator/credentials)`,
    );
  }
  // The platforms by the names users know them by (their descriptors'), not the configuration's section names.
  const platformNames = platformsWithSettings(platforms).map(
    (platform) => descriptorOf(platform).displayName,
  );
  context.out(
    `  platforms: ${platformNames.join(', ')}; activity log: ${config.store.url} (${config.store.retentionDays} days)`,
  );
  if (!(await gateway.context.callers.keysRequired())) {
    context.out(
      '  no gateway keys yet: any local caller is accepted (create one with `claude-gateway keys create`)',
    );
  }
  for (const line of clientHints(gateway.url)) context.out(line);
  const signal = await context.untilStopped();
  context.out(`claude-gateway: ${signal} received, finishing in-flight requests…`);
  await gateway.stop();
  await emulator?.close();
  process.off('unhandledRejection', onUnhandledRejection);
  context.out('claude-gateway: stopped, activity log flushed');
  return 0;
}

/**
 * Route targets that serve a model retired on their platform (by the catalog's
 * dates, on the injected clock): requests will likely fail there, so say so at
 * start, with the model to move to.
 */
function retiredTargetNotes(
  routing: ReturnType<typeof buildRoutingTable>,
  catalog: Catalog,
  now: number,
): string[] {
  const notes: string[] = [];
  routing.routes.forEach((route, index) => {
    const override = route.options?.['model'];
    const names =
      typeof override === 'string' ? [override] : route.models.filter((name) => !/[*?]/.test(name));
    for (const name of names) {
      const model = catalog.find(name);
      if (!model) continue;
      for (const target of route.targets) {
        if (!isRetired(model, now, target.platform)) continue;
        const retired = lifecycleOn(model, target.platform).retires;
        notes.push(
          `routes[${index}] (${route.models.join(', ')}): ${targetKey(target)} serves ${model.displayName}, ` +
            `retired there on ${retired}${model.replacement ? `; move to ${model.replacement}` : ''}`,
        );
      }
    }
  });
  return notes;
}

/** Route and default targets on a platform the configuration does not set up: requests skip them, so say so at start. */
function unconfiguredTargetNotes(
  config: GatewayConfig,
  routing: ReturnType<typeof buildRoutingTable>,
): string[] {
  const notes: string[] = [];
  routing.routes.forEach((route, index) => {
    for (const target of route.targets) {
      if (!routing.platforms.has(target.platform)) {
        notes.push(
          `routes[${index}] (${route.models.join(', ')}): ${targetKey(target)} is skipped, ${target.platform} is not configured`,
        );
      }
    }
  });
  if (config.defaultTargets) {
    for (const target of routing.defaultTargets) {
      if (!routing.platforms.has(target.platform)) {
        notes.push(`defaultTargets: ${targetKey(target)} is skipped, ${target.platform} is not configured`);
      }
    }
  }
  return notes;
}
