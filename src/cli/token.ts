import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { CliError, type CommandContext } from './command.js';
import { credentialsPath, normalizeGateway, readCredentials, writeCredentials } from './credentials-file.js';
import { credentialsFrom } from './login.js';

export const TOKEN_HELP = `Usage: claude-gateway token [--gateway URL]

Prints a gateway token for the signed-in user (from claude-gateway login), renewed
first when half its lifetime has passed. Made for Claude Code's apiKeyHelper:
{"apiKeyHelper": "claude-gateway token"} (login --configure-claude-code writes it).

  --gateway URL   which sign-in (default: the last gateway signed in to)
  -h, --help      show this help`;

export async function runToken(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { gateway: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    context.out(TOKEN_HELP);
    return 0;
  }
  const path = credentialsPath(context.env);
  const file = readCredentials(path);
  const gateway = values.gateway ? normalizeGateway(values.gateway) : file.current;
  const credentials = gateway ? file.gateways[gateway] : undefined;
  if (!gateway || !credentials) {
    throw new CliError(
      `not signed in${gateway ? ` to ${gateway}` : ''}: run claude-gateway login --gateway ${gateway ?? 'URL'}`,
      1,
    );
  }
  const now = (context.clock ?? systemClock)();
  const remaining = credentials.accessTokenExpiresAt - now;
  if (remaining > credentials.accessTokenLifetimeMs / 2) {
    context.out(credentials.accessToken);
    return 0;
  }
  let response: Response;
  try {
    response = await fetch(`${gateway}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken }),
    });
  } catch (error) {
    // The gateway is out of reach for a moment: a token that still works is better than none.
    if (remaining > 0) {
      context.out(credentials.accessToken);
      return 0;
    }
    throw new CliError(`cannot reach ${gateway} to renew the token: ${(error as Error).message}`, 1);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 200) {
    throw new CliError(
      `cannot renew the gateway token: ${String(body['error_description'] ?? response.status)} Sign in again: claude-gateway login --gateway ${gateway}`,
      1,
    );
  }
  const renewed = credentialsFrom(body as never, now, credentials);
  file.gateways[gateway] = renewed;
  writeCredentials(path, file);
  context.out(renewed.accessToken);
  return 0;
}
