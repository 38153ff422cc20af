import { parseArgs } from 'node:util';
import { type FaultSpec, parseFaultFlag } from '../emulator/faults.js';
import { startEmulator } from '../emulator/server.js';
import { CliError, type CommandContext } from './command.js';

export const EMULATE_HELP = `Usage: claude-gateway emulate [options]

Runs the platform emulator: the Anthropic API, Microsoft Foundry (/anthropic),
Amazon Bedrock (runtime, control plane, STS), Vertex AI and Google's token
endpoints on one local port, for offline development and tests.

Options:
  --port N             port to listen on (default 4010; 0 picks a free one)
  --host H             address to bind (default 127.0.0.1)
  --event-delay-ms N   milliseconds between stream events (default 0)
  --fault SPEC         arm a fault at start, e.g. kind=http,platform=bedrock,status=429,count=2
                       (repeatable; see the README's emulator section)
  --extra-model NAME   serve a model the catalog does not know (repeatable)
  -h, --help           show this help

Credentials it accepts (all overridable through the environment):
  AWS access key AKIDEMULATOR / secret emulator-secret, Bedrock API key emulator-bedrock-key,
  Anthropic key sk-ant-emulator, Vertex project emulator-project (tokens from its /token
  endpoint or metadata server). GET /_emulator/credentials prints them with a service-account file.`;

/** `claude-gateway emulate`: the emulator in the foreground until Ctrl-C. */
export async function runEmulate(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'event-delay-ms': { type: 'string', default: '0' },
      fault: { type: 'string', multiple: true, default: [] },
      'extra-model': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(EMULATE_HELP);
    return 0;
  }
  const port = parsePort(values.port, '--port');
  const eventDelayMs = Number(values['event-delay-ms']);
  if (!Number.isInteger(eventDelayMs) || eventDelayMs < 0) {
    throw new CliError(
      `--event-delay-ms must be a whole number of milliseconds, got "${values['event-delay-ms']}"`,
    );
  }
  let faults: FaultSpec[];
  try {
    faults = values.fault.map(parseFaultFlag);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const emulator = await startEmulator({
    host: values.host,
    port,
    eventDelayMs,
    faults,
    extraModels: values['extra-model'],
  });
  context.out(`claude-gateway emulator listening on ${emulator.url}`);
  context.out(
    `  control API: ${emulator.url}/_emulator/ (credentials: ${emulator.url}/_emulator/credentials)`,
  );
  await context.untilStopped();
  await emulator.close();
  return 0;
}

/** Parses a TCP port flag, with an error that names the flag. */
export function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`${flag} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}
