import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './command.js';

export const CLAUDE_CODE_MODES = ['anthropic', 'bedrock', 'vertex'] as const;
export type ClaudeCodeMode = (typeof CLAUDE_CODE_MODES)[number];

/** The variables each mode sets; switching modes removes the others'. */
function modeEnvironment(mode: ClaudeCodeMode, gateway: string): Record<string, string> {
  switch (mode) {
    case 'anthropic':
      return { ANTHROPIC_BASE_URL: gateway };
    case 'bedrock':
      // The gateway holds the AWS credentials: Claude Code signs nothing, and sends the helper's token as Bearer.
      return {
        CLAUDE_CODE_USE_BEDROCK: '1',
        ANTHROPIC_BEDROCK_BASE_URL: gateway,
        CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1',
        AWS_REGION: 'us-east-1',
      };
    case 'vertex':
      // Vertex mode adds no /v1 of its own; the project and region only shape the path the gateway reads.
      return {
        CLAUDE_CODE_USE_VERTEX: '1',
        ANTHROPIC_VERTEX_BASE_URL: `${gateway}/v1`,
        CLAUDE_CODE_SKIP_VERTEX_AUTH: '1',
        CLOUD_ML_REGION: 'global',
        ANTHROPIC_VERTEX_PROJECT_ID: 'claude-gateway',
      };
  }
}

const ALL_MODE_VARIABLES = new Set(
  CLAUDE_CODE_MODES.flatMap((mode) => Object.keys(modeEnvironment(mode, 'http://x'))),
);

/** Claude Code's user settings file: `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`. */
export function claudeCodeSettingsPath(env: NodeJS.ProcessEnv): string {
  const home = env['HOME'] || env['USERPROFILE'] || homedir();
  return join(env['CLAUDE_CONFIG_DIR'] || join(home, '.claude'), 'settings.json');
}

/**
 * Points Claude Code at the gateway in one mode, merged into the developer's
 * settings (everything else in the file is kept): `apiKeyHelper` runs
 * `claude-gateway token`, and `env` gets the base URL and mode variables,
 * and how often the helper is asked again (half the token's lifetime, at most
 * Claude Code's default of 5 minutes). Returns the settings written.
 */
export function configureClaudeCode(
  path: string,
  options: { mode: ClaudeCodeMode; gateway: string; helper: string; tokenLifetimeMs: number },
): Record<string, unknown> {
  let settings: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not a JSON object');
      settings = parsed as Record<string, unknown>;
    } catch (error) {
      throw new CliError(
        `cannot merge into ${path}: ${(error as Error).message}. Fix the file (or move it away) and run this again; it was left as it is.`,
        1,
      );
    }
  }
  const current = settings['env'];
  const env: Record<string, unknown> =
    current && typeof current === 'object' && !Array.isArray(current) ? { ...(current as object) } : {};
  for (const name of ALL_MODE_VARIABLES) delete env[name];
  Object.assign(env, modeEnvironment(options.mode, options.gateway), {
    CLAUDE_CODE_API_KEY_HELPER_TTL_MS: String(
      Math.min(300_000, Math.max(10_000, Math.floor(options.tokenLifetimeMs / 2))),
    ),
  });
  const next = { ...settings, apiKeyHelper: options.helper, env };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
