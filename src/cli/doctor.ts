import { parseArgs } from 'node:util';
import type { Platform } from '../catalog/types.js';
import { Claude } from '../client/claude.js';
import { ClaudeError } from '../client/claude-error.js';
import { fixHint } from '../client/fix-hint.js';
import { PLATFORM_CONFIG_KEY, platformsWithSettings } from '../config/platform-settings.js';
import type { PlatformsConfig, RouteConfig } from '../config/schema.js';
import { targetKey } from '../engine/targets.js';
import type { LocationLine } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { checkCredentials } from '../platforms/preflight.js';
import { type CliPlatforms, cliPlatforms, type PlatformOrigin } from './cli-config.js';
import type { CommandContext } from './command.js';

export const DOCTOR_HELP = `Usage: claude-gateway doctor [options]

Checks each configured platform (the configuration file plus the platforms' usual
environment variables, as serve finds them) and says what to fix:
  1. credentials: found where the adapters will look (AWS chain, Google ADC, API keys)
  2. region or project
  3. a real call: AWS STS GetCallerIdentity, a Google token and the project,
     an Anthropic API call
  4. model access: a count_tokens call (or a 1-token request) for the routes' first
     model on that platform (claude-haiku-4-5 when no route names one)

Options:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  --emulate        check against an in-process emulator (offline; shows what a pass looks like)
  -h, --help       show this help

Exit code 0 when every check passes, 1 otherwise.`;

/** The model used for the access check when no route names one: current and cheap. */
const DEFAULT_PROBE_MODEL = 'claude-haiku-4-5';

const ORIGIN: Record<PlatformOrigin, string> = {
  config: 'from the configuration',
  environment: 'from the environment',
  emulator: 'the emulator',
};

type Mark = LocationLine['mark'] | '-';

class Report {
  failures = 0;
  constructor(private readonly context: CommandContext) {}

  line(mark: Mark, label: string, text: string, fix?: string): void {
    if (mark === '✗') this.failures += 1;
    this.context.out(`  ${mark} ${label}: ${text}`);
    if (fix) this.context.out(`      fix: ${fix}`);
  }
}

/** The route's first model and target for a platform, for the access check. */
function accessProbe(routes: readonly RouteConfig[], platform: Platform): { model: string; target?: string } {
  for (const route of routes) {
    const target = route.targets.find((spec) => spec === platform || spec.startsWith(`${platform}/`));
    if (!target) continue;
    const model = route.model ?? route.models.find((name) => !name.includes('*'));
    if (model) return { model, target };
  }
  return { model: DEFAULT_PROBE_MODEL };
}

async function checkModelAccess(
  claude: Claude,
  platform: Platform,
  model: string,
  settings: PlatformsConfig,
  context: CommandContext,
  report: Report,
): Promise<void> {
  let where = platform as string;
  let region: string | undefined;
  try {
    const [target] = await claude.plan(model);
    if (target) {
      where = targetKey(target);
      region = target.region;
    }
    const messages = [{ role: 'user', content: 'ping' }];
    try {
      const counted = await claude.messages.countTokens({ model, messages });
      report.line(
        '✓',
        'model access',
        `${model} via ${where} (count_tokens: ${counted.input_tokens} input tokens)`,
      );
      return;
    } catch (error) {
      // Access and throttling answers are the finding; anything else (count_tokens not offered) gets a tiny request.
      const status = error instanceof ClaudeError ? error.status : 0;
      if (status === 401 || status === 403 || status === 429) throw error;
    }
    const message = await claude.messages.create({ model, max_tokens: 1, messages });
    report.line('✓', 'model access', `${model} via ${where} (a 1-token request answered, ${message.model})`);
  } catch (caught) {
    const error = ClaudeError.from(caught);
    const project = settings.vertex?.projectId ?? context.env['ANTHROPIC_VERTEX_PROJECT_ID'];
    report.line(
      '✗',
      'model access',
      `${model} via ${where}: ${error.message}`,
      fixHint(platform, error, { ...(region ? { region } : {}), ...(project ? { project } : {}) }),
    );
  }
}

async function checkPlatform(
  platform: Platform,
  setup: CliPlatforms,
  credentialsOk: { ok: boolean; detail: string },
  context: CommandContext,
  report: Report,
): Promise<void> {
  const origin = setup.origins[platform];
  context.out(`${platform}${origin ? ` (${ORIGIN[origin]})` : ''}`);
  report.line(credentialsOk.ok ? '✓' : '✗', 'credentials', credentialsOk.detail);
  const location = await descriptorOf(platform).location(setup.platforms, context.env);
  report.line(location.mark, location.label, location.text, location.fix);
  const skip = (reason: string) => {
    report.line('-', descriptorOf(platform).credentialCheck, `skipped: ${reason}`);
    report.line('-', 'model access', `skipped: ${reason}`);
  };
  if (!credentialsOk.ok) {
    skip('fix the credentials first');
    return;
  }
  const probe = accessProbe(setup.config.routes, platform);
  const warnings: string[] = [];
  const key = PLATFORM_CONFIG_KEY[platform];
  const settings = { [key]: setup.platforms[key] } as PlatformsConfig;
  let claude: Claude;
  try {
    claude = new Claude({
      platforms: settings,
      ...(probe.target ? { targets: [probe.target] } : {}),
      retry: { attemptsPerTarget: 1 },
      env: context.env,
      logger: { warn: (message) => warnings.push(message) },
    });
  } catch (error) {
    report.line('✗', 'settings', (error as Error).message);
    return;
  }
  try {
    const [verified] = await claude.verify();
    if (!verified?.ok) {
      report.line(
        '✗',
        descriptorOf(platform).credentialCheck,
        verified?.detail ?? 'no result',
        verified?.hint,
      );
      report.line('-', 'model access', 'skipped: fix the credentials first');
      return;
    }
    report.line('✓', descriptorOf(platform).credentialCheck, verified.detail);
    await checkModelAccess(claude, platform, probe.model, setup.platforms, context, report);
    for (const warning of warnings) report.line('!', 'model', warning.replace(/^claude-gateway: /, ''));
  } finally {
    await claude.close();
  }
}

/** `claude-gateway doctor`: checks every configured platform and says what to fix. */
export async function runDoctor(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      emulate: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(DOCTOR_HELP);
    return 0;
  }
  const setup = await cliPlatforms({ config: values.config, emulate: values.emulate }, context);
  try {
    const names = platformsWithSettings(setup.platforms);
    const against = setup.emulator ? ` against the emulator at ${setup.emulator.url}` : '';
    context.out(
      `claude-gateway doctor: ${names.join(', ')}${setup.file ? ` (config ${setup.file})` : ''}${against}`,
    );
    const credentials = await checkCredentials(setup.platforms);
    const report = new Report(context);
    for (const platform of names) {
      const found = credentials.find((check) => check.platform === platform) ?? {
        ok: false,
        detail: 'not checked',
      };
      await checkPlatform(platform, setup, found, context, report);
    }
    context.out(
      report.failures === 0
        ? 'All checks passed.'
        : `${report.failures} check${report.failures === 1 ? '' : 's'} failed: see the ✗ lines and their fixes above.`,
    );
    return report.failures === 0 ? 0 : 1;
  } finally {
    await setup.close();
  }
}
