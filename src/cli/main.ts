import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, type CommandContext } from './command.js';
import { DOCTOR_HELP, runDoctor } from './doctor.js';
import { EMULATE_HELP, runEmulate } from './emulate.js';
import { GROUPS_HELP, runGroups } from './groups.js';
import { KEYS_HELP, runKeys } from './keys.js';
import { LOGIN_HELP, runLogin } from './login.js';
import { LOGS_HELP, runLogs } from './logs.js';
import { MODELS_HELP, runModels } from './models.js';
import { REPORT_HELP, runReportCommand } from './report.js';
import { runServe, SERVE_HELP } from './serve.js';
import { runToken, TOKEN_HELP } from './token.js';
import { runTokens, TOKENS_HELP } from './tokens.js';
import { runUsers, USERS_HELP } from './users.js';

const HELP = `Usage: claude-gateway <command> [options]

Run Claude on Amazon Bedrock, Claude Platform on AWS, Google Vertex AI, Microsoft Foundry and the Anthropic API.

Commands:
  serve      run the gateway (add --emulate to run it offline against the emulator)
  emulate    run the local platform emulator (offline development and tests)
  models     the model catalog: ids per platform, scopes, context, prices (--live asks the platforms)
  doctor     check each platform's credentials, region and model access, and say what to fix
  logs       read the activity log: requests, tokens, cost
  report     spend, tokens, requests and errors per user, group, key, model, platform, day or hour
  keys       create, list, update, rotate and revoke gateway keys
  users      list, create, update and disable users (policy: models, residency, budgets, rates)
  groups     groups: their members' policy, group budgets, members
  tokens     service tokens for CI and applications: held to a group, with an expiry
  login      sign in to a gateway through your identity provider (and set up Claude Code)
  token      print a fresh gateway token for the signed-in user (Claude Code's apiKeyHelper)

Run "claude-gateway <command> --help" for a command's options.`;

type Command = { run: (argv: string[], context: CommandContext) => Promise<number>; help: string };

const COMMANDS: Record<string, Command> = {
  serve: { run: runServe, help: SERVE_HELP },
  emulate: { run: runEmulate, help: EMULATE_HELP },
  models: { run: runModels, help: MODELS_HELP },
  doctor: { run: runDoctor, help: DOCTOR_HELP },
  logs: { run: runLogs, help: LOGS_HELP },
  report: { run: runReportCommand, help: REPORT_HELP },
  keys: { run: runKeys, help: KEYS_HELP },
  users: { run: runUsers, help: USERS_HELP },
  groups: { run: runGroups, help: GROUPS_HELP },
  tokens: { run: runTokens, help: TOKENS_HELP },
  login: { run: runLogin, help: LOGIN_HELP },
  token: { run: runToken, help: TOKEN_HELP },
};

function processContext(): CommandContext {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    untilStopped: () =>
      new Promise((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(signal);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
  };
}

/** Runs the CLI; returns the exit code. Errors are one clear line, never a stack trace. */
export async function main(argv: string[], context: CommandContext = processContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    context.out(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    context.out(process.env['npm_package_version'] ?? '0.1.0');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    context.error(
      `claude-gateway: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`,
    );
    return 2;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof CliError) {
      context.error(`claude-gateway ${name}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // node's parseArgs messages can run over several lines: keep the error to one.
      const message = error.message.replace(/\s*\n\s*/g, ' ').replace(/\.+$/, '');
      context.error(`claude-gateway ${name}: ${message}. Run "claude-gateway ${name} --help".`);
      return 2;
    }
    context.error(`claude-gateway ${name}: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}

/**
 * Exits once stdout and stderr have handed everything to the OS: writes to a
 * pipe are asynchronous, and `process.exit` alone cut `logs | less` at 64 KB.
 * (Not a plain return: a command may leave a pool or timer open.)
 */
function exitAfterOutput(code: number): void {
  let open = 2;
  const flushed = () => {
    open -= 1;
    if (open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the CLI on this process's arguments and exits with its status (the `claude-gateway` command). */
export function runAsCommand(): void {
  // Output piped into `head` and closed early: stop quietly, as other CLIs do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2)).then(exitAfterOutput, (error: unknown) => {
    process.stderr.write(`claude-gateway: ${(error as Error).message}\n`);
    exitAfterOutput(1);
  });
}

if (isEntryPoint()) runAsCommand();
