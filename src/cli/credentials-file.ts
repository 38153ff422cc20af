import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './command.js';

/** One gateway's sign-in, as `claude-gateway login` keeps it. Times are the CLI's own clock (from `expires_in`). */
export interface GatewayCredentials {
  accessToken: string;
  accessTokenExpiresAt: number;
  /** The token's whole lifetime, to renew it half-way. */
  accessTokenLifetimeMs: number;
  refreshToken: string;
  refreshTokenExpiresAt?: number;
  user: { id: string; name: string; email?: string; groups?: string[] };
}

export interface CredentialsFile {
  /** The gateway `token` uses when none is named: the last one signed in to. */
  current?: string;
  gateways: Record<string, GatewayCredentials>;
}

/**
 * Where sign-ins are kept: `$XDG_CONFIG_HOME/claude-gateway/credentials.json`
 * (`~/.config/…` by default; `%APPDATA%\claude-gateway\…` on Windows).
 */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  const home = env['HOME'] || env['USERPROFILE'] || homedir();
  const base =
    env['XDG_CONFIG_HOME'] ||
    (process.platform === 'win32' && env['APPDATA'] ? env['APPDATA'] : join(home, '.config'));
  return join(base, 'claude-gateway', 'credentials.json');
}

export function readCredentials(path: string): CredentialsFile {
  if (!existsSync(path)) return { gateways: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
    return { ...parsed, gateways: parsed.gateways ?? {} };
  } catch (error) {
    throw new CliError(
      `cannot read ${path}: ${(error as Error).message}; delete it and run claude-gateway login`,
      1,
    );
  }
}

/** Written private: the folder 0700, the file 0600 (it holds a refresh token), replaced in one rename. */
export function writeCredentials(path: string, file: CredentialsFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** A gateway URL as the key of its sign-in: no trailing slash. */
export function normalizeGateway(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      `--gateway must be the gateway's URL, like https://claude-gateway.example.com; got "${url}"`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`--gateway must be an http or https URL; got "${url}"`);
  }
  return parsed.href.replace(/\/+$/, '');
}
