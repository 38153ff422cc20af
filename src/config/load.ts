import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { closestName } from '../catalog/closest-name.js';
import { configSchema, type GatewayConfig, type PlatformsConfig } from './schema.js';

/** A configuration problem, said in terms of the file: which key, what is wrong, what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(
      problems.length > 0 ? `${message}\n${problems.map((problem) => `  - ${problem}`).join('\n')}` : message,
    );
  }
}

export const DEFAULT_CONFIG_FILE = 'claude-gateway.yaml';

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML
 * document. A variable that is unset and has no default is an error naming it.
 */
export function substituteEnvironment(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_match, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        throw new ConfigError(
          `${path || '(root)'}: environment variable ${name} is not set (write \${${name}:-default} for a default)`,
        );
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item, index) => substituteEnvironment(item, env, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        substituteEnvironment(item, env, path ? `${path}.${key}` : key),
      ]),
    );
  }
  return value;
}

/** The keys a strict object at `path` accepts, to suggest the right spelling. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    if (typeof segment === 'number') {
      schema = (schema as { element?: unknown }).element;
    } else if (shape) {
      schema = shape[String(segment)];
    } else {
      return [];
    }
  }
  const shape = (unwrap(schema) as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { innerType?: unknown; in?: unknown; schema?: unknown } } | undefined;
  for (let depth = 0; depth < 10 && current?.def; depth++) {
    const inner = current.def.innerType ?? current.def.in ?? current.def.schema;
    if (!inner) break;
    current = inner as typeof current;
  }
  return current;
}

/** One line per zod issue: the key path, what is wrong, and for unknown keys the likely intended key. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      return issue.keys
        .map((key) => {
          const near = closestName(key, known, 3);
          const hint = near
            ? `; did you mean "${near}"?`
            : known.length
              ? `; allowed: ${known.join(', ')}`
              : '';
          return `${where === '(top level)' ? key : `${where}.${key}`}: unknown key${hint}`;
        })
        .join('\n  - ');
    }
    return `${where}: ${issue.message}`;
  });
}

/**
 * Validates a configuration object (already parsed from YAML), with the
 * environment substituted, and returns it with defaults filled in.
 */
export function parseConfig(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  source = 'configuration',
): GatewayConfig {
  const substituted = substituteEnvironment(raw ?? {}, env);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) throw new ConfigError(`${source} is not valid:`, describeIssues(parsed.error));
  return parsed.data;
}

/**
 * Reads the configuration: `--config FILE`, else `./claude-gateway.yaml` when
 * it exists, else nothing (environment defaults only).
 */
export function loadConfigFile(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { config: GatewayConfig; file?: string } {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return { config: parseConfig({}, env) };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the configuration file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYamlKeepingVariables(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  return { config: parseConfig(raw, env, file), file };
}

/** `${VAR}` or `${VAR:-default}` on one line, as written in a file. */
const VARIABLE_IN_TEXT = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}\r\n]*)?\}/g;

/**
 * Parses YAML whose values may hold `${VAR}` and `${VAR:-default}` anywhere,
 * flow maps included (`sessions: { redisUrl: ${REDIS_URL:-redis://127.0.0.1:6379} }`),
 * where `{`, `}`, `:` and `,` would otherwise be read as YAML. Each reference is
 * swapped for a placeholder of letters and digits before parsing and put back in
 * the parsed strings (keys too) after: the environment is substituted in parsed
 * values (by `parseConfig`), never in the text, so a value cannot change the
 * document's structure.
 *
 * @example
 * parseYamlKeepingVariables('a: { b: ${X:-c:d} }'); // { a: { b: '${X:-c:d}' } }
 */
export function parseYamlKeepingVariables(text: string): unknown {
  const references: string[] = [];
  const tag = `cgwenv${randomBytes(6).toString('hex')}n`;
  const shielded = text.replace(VARIABLE_IN_TEXT, (reference) => {
    references.push(reference);
    return `${tag}${references.length - 1}e`;
  });
  const raw: unknown = parseYaml(shielded);
  if (references.length === 0) return raw;
  const placeholder = new RegExp(`${tag}(\\d+)e`, 'g');
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(placeholder, (_match, index: string) => references[Number(index)] ?? '');
    }
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [restore(key) as string, restore(item)]),
      );
    }
    return value;
  };
  return restore(raw);
}

/** Where a platform's settings come from: the file, or the platform's usual environment variables. */
export type PlatformSource = 'config' | 'environment';

/**
 * The platforms to serve: those in the file, plus those the platforms' usual
 * environment variables point at (ANTHROPIC_API_KEY; AWS_PROFILE, AWS_ACCESS_KEY_ID,
 * AWS_BEARER_TOKEN_BEDROCK, AWS_REGION; ANTHROPIC_VERTEX_PROJECT_ID, CLOUD_ML_REGION;
 * ANTHROPIC_FOUNDRY_RESOURCE, ANTHROPIC_FOUNDRY_BASE_URL).
 */
export function effectivePlatforms(
  platforms: PlatformsConfig,
  env: NodeJS.ProcessEnv = process.env,
): { platforms: PlatformsConfig; sources: Partial<Record<keyof PlatformsConfig, PlatformSource>> } {
  const result: PlatformsConfig = { ...platforms };
  const sources: Partial<Record<keyof PlatformsConfig, PlatformSource>> = {};
  for (const name of Object.keys(platforms) as (keyof PlatformsConfig)[]) sources[name] = 'config';
  if (!result.anthropic && (env['ANTHROPIC_API_KEY'] || env['ANTHROPIC_AUTH_TOKEN'])) {
    result.anthropic = {};
    sources.anthropic = 'environment';
  }
  if (
    !result.bedrock &&
    (env['AWS_BEARER_TOKEN_BEDROCK'] || env['AWS_PROFILE'] || env['AWS_ACCESS_KEY_ID'] || env['AWS_REGION'])
  ) {
    result.bedrock = {};
    sources.bedrock = 'environment';
  }
  if (!result.vertex && (env['ANTHROPIC_VERTEX_PROJECT_ID'] || env['CLOUD_ML_REGION'])) {
    result.vertex = {};
    sources.vertex = 'environment';
  }
  if (!result.foundry && (env['ANTHROPIC_FOUNDRY_RESOURCE'] || env['ANTHROPIC_FOUNDRY_BASE_URL'])) {
    result.foundry = {};
    sources.foundry = 'environment';
  }
  return { platforms: result, sources };
}
