import { parseArgs } from 'node:util';
import { configuredCatalog } from '../catalog/configured-catalog.js';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { PLATFORMS, type Platform } from '../catalog/types.js';
import { Claude } from '../client/claude.js';
import type { ModelListItem } from '../client/models.js';
import { isoDay, systemClock } from '../clock.js';
import { platformSettings, platformsWithSettings } from '../config/platform-settings.js';
import { anthropicDescriptor } from '../platforms/anthropic/descriptor.js';
import { contextOf, deprecationOf, priceOf } from '../platforms/catalog-view.js';
import type { CatalogView } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { cliPlatforms, loadCliConfig } from './cli-config.js';
import { CliError, type CommandContext } from './command.js';
import { formatTable } from './table.js';

export const MODELS_HELP = `Usage: claude-gateway models [options]

The Claude models the catalog knows: each platform's ids, Bedrock inference-profile
scopes, context window, price per million tokens (input / output) and deprecation.
With --live, the list the platforms themselves give.

Options:
  --platform P     anthropic, bedrock, vertex or foundry: that platform's ids only
  --region R       with --platform bedrock: the AWS region, to show which inference
                   profiles can be called from it (default AWS_REGION, else us-east-1);
                   with --platform vertex: the location (global, us, eu, us-east5…)
  --live           ask the configured platforms (credentials from the configuration
                   file and the environment: the AWS chain, Google ADC, API keys)
  --config FILE    configuration file: its models: rows join the catalog (SOURCE configured), and
                   --live calls its platforms (default ./claude-gateway.yaml when present)
  --emulate        with --live: ask an in-process emulator (no cloud account needed)
  --json           JSON instead of a table
  -h, --help       show this help

Examples:
  claude-gateway models
  claude-gateway models --platform bedrock --region eu-west-1
  claude-gateway models --live --platform bedrock`;

function parsePlatform(value: string | undefined): Platform | undefined {
  if (value === undefined) return undefined;
  if (!(PLATFORMS as readonly string[]).includes(value)) {
    throw new CliError(`--platform must be one of ${PLATFORMS.join(', ')}; got "${value}"`);
  }
  return value as Platform;
}

async function catalogView(
  platform: Platform | undefined,
  region: string | undefined,
  context: CommandContext,
): Promise<CatalogView> {
  const today = isoDay((context.clock ?? systemClock)());
  const models = (context.catalog ?? defaultCatalog()).list();
  if (platform) return descriptorOf(platform).catalogView({ models, region, today, env: context.env });
  return {
    headers: [
      'MODEL',
      'ANTHROPIC ID',
      'BEDROCK BASE ID (SCOPES)',
      'VERTEX ID',
      'CONTEXT',
      '$/MTOK IN / OUT',
      'DEPRECATION',
      'SOURCE',
    ],
    rows: models.map((model) => [
      model.name,
      anthropicDescriptor.catalogId(model) ?? '—',
      model.bedrock
        ? `${model.bedrock.baseId} (${model.bedrock.scopes.join(', ') || 'in-region only'})`
        : '—',
      model.vertexId ?? '—',
      contextOf(model),
      priceOf(model) + (model.unconfirmed.some((path) => path.startsWith('prices')) ? ' (est.)' : ''),
      deprecationOf(model, today),
      model.origin,
    ]),
    json: models.map((model) => ({ ...model, deprecation: deprecationOf(model, today) || undefined })),
    notes: [
      'Any name works with the gateway and the library: an alias, the canonical name, or a platform id.',
    ],
  };
}

function liveRow(item: ModelListItem, today: string): string[] {
  const kind =
    item.kind === 'inference-profile'
      ? `profile (${item.scope ?? '?'})`
      : item.kind === 'foundation-model'
        ? 'base'
        : '';
  return [
    item.platform,
    item.id,
    kind,
    item.catalog?.name ?? '(not in the catalog)',
    item.status ?? '',
    item.catalog ? deprecationOf(item.catalog, today, item.platform) : '',
  ];
}

async function runLive(
  values: { platform?: Platform; region?: string; config?: string; emulate: boolean; json: boolean },
  context: CommandContext,
): Promise<number> {
  const setup = await cliPlatforms({ config: values.config, emulate: values.emulate }, context);
  try {
    const platforms = { ...setup.platforms };
    if (values.region) {
      if (platforms.bedrock) platforms.bedrock = { ...platforms.bedrock, region: values.region };
      if (platforms.vertex) platforms.vertex = { ...platforms.vertex, region: values.region };
    }
    const chosen = values.platform ? [values.platform] : platformsWithSettings(platforms);
    for (const name of chosen) {
      if (!platformSettings(platforms, name)) {
        throw new CliError(
          `${name} is not configured: add it under platforms in the configuration, set its environment variables, or use --emulate`,
          1,
        );
      }
    }
    const claude = new Claude({ platforms, env: context.env, logger: { warn: () => {} } });
    const items: ModelListItem[] = [];
    let failed = 0;
    try {
      for (const platform of chosen) {
        try {
          items.push(...(await claude.models.list({ platform })));
        } catch (error) {
          failed += 1;
          context.error(`✗ ${platform}: ${(error as Error).message}`);
        }
      }
    } finally {
      await claude.close();
    }
    if (values.json) {
      for (const item of items) {
        const { catalog, ...rest } = item;
        context.out(JSON.stringify({ ...rest, ...(catalog ? { model: catalog.name } : {}) }));
      }
    } else {
      const headers = ['PLATFORM', 'ID', 'KIND', 'MODEL', 'STATUS', 'DEPRECATION'];
      for (const line of formatTable(
        headers,
        items.map((item) => liveRow(item, isoDay((context.clock ?? systemClock)()))),
      ))
        context.out(line);
      const sources = [...new Set(items.map((item) => `${item.platform} (${item.source})`))];
      if (sources.length > 0) context.out(`Sources: ${sources.join(', ')}.`);
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await setup.close();
  }
}

/** `claude-gateway models`: the catalog as a table, or the live list from the platforms. */
export async function runModels(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      platform: { type: 'string' },
      region: { type: 'string' },
      live: { type: 'boolean', default: false },
      config: { type: 'string' },
      emulate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(MODELS_HELP);
    return 0;
  }
  const platform = parsePlatform(values.platform);
  if (
    values.region !== undefined &&
    !values.live &&
    !(platform && descriptorOf(platform).targets.takesRegion)
  ) {
    throw new CliError(
      `--region goes with --platform ${PLATFORMS.filter((name) => descriptorOf(name).targets.takesRegion).join(', ')}`,
    );
  }
  if (!values.live && values.emulate) throw new CliError('--emulate only makes sense with --live');
  if (values.live) {
    return runLive(
      {
        ...(platform ? { platform } : {}),
        ...(values.region ? { region: values.region } : {}),
        ...(values.config ? { config: values.config } : {}),
        emulate: values.emulate,
        json: values.json,
      },
      context,
    );
  }
  // The configuration's `models:` (the file named, or ./claude-gateway.yaml when present) are part of the catalog.
  const { config } = loadCliConfig(values.config, context.env);
  const catalog = configuredCatalog(context.catalog ?? defaultCatalog(), config);
  const view = await catalogView(platform, values.region, { ...context, catalog });
  if (values.json) {
    context.out(JSON.stringify(view.json, null, 2));
    return 0;
  }
  for (const line of formatTable(view.headers, view.rows)) context.out(line);
  for (const note of view.notes) context.out(note);
  return 0;
}
