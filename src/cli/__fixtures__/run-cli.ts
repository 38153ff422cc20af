import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CommandContext } from '../command.js';
import { testClock } from '../../test-support/gateway.js';
import { main } from '../main.js';

/** What one CLI run printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string[];
  error: string[];
  /** Everything printed on stdout, one string. */
  text: string;
}

/** Runs the CLI in-process with captured output and the given environment (none by default). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const error: string[] = [];
  const context: CommandContext = {
    out: (line) => out.push(line),
    error: (line) => error.push(line),
    env,
    untilStopped: () => new Promise(() => {}),
    clock: testClock,
  };
  const code = await main(argv, context);
  return { code, out, error, text: out.join('\n') };
}

/** A temporary folder, removed by the returned function. */
export function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'claude-gateway-cli-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a configuration file (YAML) and returns its path. */
export function writeConfig(folder: string, config: unknown, name = 'claude-gateway.yaml'): string {
  const file = join(folder, name);
  writeFileSync(file, stringify(config));
  return file;
}
