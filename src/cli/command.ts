import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../clock.js';

/** What a command gets from the CLI: output, and a way to wait for Ctrl-C or SIGTERM. */
export interface CommandContext {
  out(line: string): void;
  error(line: string): void;
  /** Resolves on SIGINT or SIGTERM. */
  untilStopped(): Promise<NodeJS.Signals>;
  env: NodeJS.ProcessEnv;
  /** "Now" for date-dependent output (deprecations); the wall clock unless a test pins it. */
  clock?: Clock;
  /** The catalog to show; the built-in one unless given. */
  catalog?: Catalog;
  /** Waits between polls (`login`); a timer unless a test speeds it up. */
  sleep?: (ms: number) => Promise<void>;
}

/** A user error: printed as one line without a stack trace, exit code 2 (bad usage) or 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
