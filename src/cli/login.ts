import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import {
  CLAUDE_CODE_MODES,
  type ClaudeCodeMode,
  claudeCodeSettingsPath,
  configureClaudeCode,
} from './claude-code-settings.js';
import { CliError, type CommandContext } from './command.js';
import {
  credentialsPath,
  type GatewayCredentials,
  normalizeGateway,
  readCredentials,
  writeCredentials,
} from './credentials-file.js';

export const LOGIN_HELP = `Usage: claude-gateway login --gateway URL [--configure-claude-code MODE]

Signs you in to a gateway through your organisation's identity provider (the
device flow): open the URL shown, check the code, approve. The gateway's tokens
are kept in ~/.config/claude-gateway/credentials.json (readable by you only);
\`claude-gateway token\` prints a fresh one.

  --gateway URL                  the gateway, e.g. https://claude-gateway.example.com
  --configure-claude-code MODE   also point Claude Code at the gateway in this mode:
                                 anthropic, bedrock or vertex. Merges apiKeyHelper
                                 (claude-gateway token) and the mode's variables into
                                 ~/.claude/settings.json, keeping everything else.
  -h, --help                     show this help`;

/** What `POST /auth/token` answers on success. */
interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in?: number;
  user: GatewayCredentials['user'];
}

/** The CLI as a shell command, for Claude Code's apiKeyHelper: this Node and this script, by absolute path. */
function helperCommand(gateway: string): string {
  let script = fileURLToPath(new URL('./main.js', import.meta.url));
  // Run from the sources (tests): the built CLI is the one a shell can run.
  if (!existsSync(script)) script = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  return `${quote(process.execPath)} ${quote(script)} token --gateway ${quote(gateway)}`;
}

/** The credentials a token answer gives, judged on the CLI's clock. */
export function credentialsFrom(
  answer: TokenAnswer,
  now: number,
  previous?: GatewayCredentials,
): GatewayCredentials {
  return {
    accessToken: answer.access_token,
    accessTokenExpiresAt: now + answer.expires_in * 1000,
    accessTokenLifetimeMs: answer.expires_in * 1000,
    refreshToken: answer.refresh_token || previous?.refreshToken || '',
    ...(answer.refresh_token_expires_in !== undefined
      ? { refreshTokenExpiresAt: now + answer.refresh_token_expires_in * 1000 }
      : previous?.refreshTokenExpiresAt !== undefined
        ? { refreshTokenExpiresAt: previous.refreshTokenExpiresAt }
        : {}),
    user: answer.user ?? previous?.user,
  };
}

async function postJson(
  url: string,
  body: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    throw new CliError(`cannot reach ${url}: ${cause?.message ?? (error as Error).message}`, 1);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new CliError(
      `${url} answered ${response.status} with something that is not JSON: is --gateway a claude-gateway?`,
      1,
    );
  }
}

export async function runLogin(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      gateway: { type: 'string' },
      'configure-claude-code': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    context.out(LOGIN_HELP);
    return 0;
  }
  if (!values.gateway) throw new CliError('--gateway URL is required (the gateway to sign in to)');
  const gateway = normalizeGateway(values.gateway);
  const mode = values['configure-claude-code'];
  if (mode !== undefined && !(CLAUDE_CODE_MODES as readonly string[]).includes(mode)) {
    throw new CliError(
      `--configure-claude-code must be one of ${CLAUDE_CODE_MODES.join(', ')}; got "${mode}"`,
    );
  }
  const clock = context.clock ?? systemClock;
  const sleep = context.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const started = await postJson(`${gateway}/auth/device`, {});
  if (started.status !== 200) {
    throw new CliError(
      `the gateway cannot start a sign-in: ${String(started.body['error_description'] ?? started.status)}`,
      1,
    );
  }
  const device = started.body as {
    device_code: string;
    user_code: string;
    verification_uri: string;
    verification_uri_complete?: string;
    expires_in: number;
    interval?: number;
  };
  context.out(`To sign in, open ${device.verification_uri_complete ?? device.verification_uri}`);
  context.out(`and check that it shows the code ${device.user_code}.`);
  let intervalMs = (device.interval ?? 5) * 1000;
  const deadline = Date.now() + device.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    const poll = await postJson(`${gateway}/auth/token`, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: device.device_code,
    });
    if (poll.status === 200) {
      const answer = poll.body as unknown as TokenAnswer;
      const path = credentialsPath(context.env);
      const file = readCredentials(path);
      const credentials = credentialsFrom(answer, clock());
      file.gateways[gateway] = credentials;
      file.current = gateway;
      writeCredentials(path, file);
      const groups = credentials.user.groups?.length
        ? ` (groups: ${credentials.user.groups.join(', ')})`
        : '';
      context.out(`Signed in to ${gateway} as ${credentials.user.name}${groups}.`);
      if (mode) {
        const settingsPath = claudeCodeSettingsPath(context.env);
        configureClaudeCode(settingsPath, {
          mode: mode as ClaudeCodeMode,
          gateway,
          helper: helperCommand(gateway),
          tokenLifetimeMs: credentials.accessTokenLifetimeMs,
        });
        context.out(
          `Claude Code now uses the gateway in ${mode} mode (${settingsPath}: apiKeyHelper and env).`,
        );
      } else {
        context.out(
          'Get a token with `claude-gateway token`; add --configure-claude-code MODE to set up Claude Code.',
        );
      }
      return 0;
    }
    const error = String(poll.body['error'] ?? '');
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      intervalMs += 5_000;
      continue;
    }
    throw new CliError(`sign-in failed: ${String(poll.body['error_description'] ?? error)}`, 1);
  }
  throw new CliError('the sign-in code expired before it was approved; run claude-gateway login again', 1);
}
