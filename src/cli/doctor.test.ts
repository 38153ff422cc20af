import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

let denying: RunningEmulator;
let folder: { path: string; remove: () => void };

beforeAll(async () => {
  denying = await startEmulator({ port: 0, deniedModels: ['claude-haiku-4-5'] });
  folder = temporaryFolder();
});
afterAll(async () => {
  await denying.close();
  folder.remove();
});

function section(lines: string[], platform: string): string[] {
  const start = lines.findIndex((line) => line.startsWith(`${platform} (`));
  if (start === -1) throw new Error(`no ${platform} section in:\n${lines.join('\n')}`);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith(' '));
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('doctor', () => {
  it('passes every check against the emulator, with --emulate', async () => {
    const run = await runCli(['doctor', '--emulate']);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(
      /^claude-gateway doctor: anthropic, bedrock, claude-platform-aws, vertex, foundry against the emulator at http/,
    );
    const bedrock = section(run.out, 'bedrock');
    expect(bedrock[0]).toBe('bedrock (the emulator)');
    expect(bedrock).toContainEqual(
      expect.stringMatching(/^ {2}✓ credentials: static keys, region us-east-1/),
    );
    expect(bedrock).toContainEqual(
      expect.stringMatching(/^ {2}✓ AWS credentials \(STS GetCallerIdentity\): AWS account \d+ as arn:aws:/),
    );
    expect(bedrock).toContainEqual(
      expect.stringMatching(
        /^ {2}✓ model access: claude-[a-z0-9-]+ via bedrock\/global@us-east-1 \(count_tokens: \d+ input tokens\)$/,
      ),
    );
    expect(section(run.out, 'vertex')).toContainEqual(
      expect.stringMatching(/✓ Google credentials \(token and project\): service_account/),
    );
    expect(section(run.out, 'foundry')).toContainEqual(
      expect.stringMatching(/✓ model access: claude-haiku-4-5 via foundry/),
    );
    expect(run.out.filter((line) => line.includes('✗'))).toEqual([]);
    expect(run.out.at(-1)).toBe('All checks passed.');
  });

  it('says to request model access when Bedrock and Vertex deny the routed model', async () => {
    const platforms = emulatedPlatforms(denying);
    const config = writeConfig(
      folder.path,
      {
        platforms: { bedrock: platforms.bedrock, vertex: platforms.vertex },
        routes: [{ models: ['claude-haiku-4-5'], targets: ['bedrock/global', 'vertex/global'] }],
      },
      'denied.yaml',
    );
    const run = await runCli(['doctor', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.out[0]).toBe(`claude-gateway doctor: bedrock, vertex (config ${config})`);
    const bedrock = section(run.out, 'bedrock');
    expect(bedrock[0]).toBe('bedrock (from the configuration)');
    expect(bedrock).toContainEqual(expect.stringMatching(/✓ AWS credentials \(STS GetCallerIdentity\)/));
    const denied = bedrock.findIndex((line) =>
      line.startsWith('  ✗ model access: claude-haiku-4-5 via bedrock/global@us-east-1: '),
    );
    expect(bedrock[denied]).toContain("You don't have access to the model with the specified model ID.");
    expect(bedrock[denied + 1]).toMatch(
      /^ {6}fix: request model access in the Bedrock console for us-east-1 /,
    );
    const vertex = section(run.out, 'vertex');
    const refused = vertex.findIndex((line) =>
      line.startsWith('  ✗ model access: claude-haiku-4-5 via vertex/global: '),
    );
    expect(refused).toBeGreaterThan(0);
    expect(vertex[refused + 1]).toContain(
      'fix: enable the Claude model in Vertex AI Model Garden for project emulator-project',
    );
    expect(run.out.at(-1)).toBe('2 checks failed: see the ✗ lines and their fixes above.');
  });

  it('asks the runtime endpoint for STS and the control plane when only bedrock.endpoint points elsewhere', async () => {
    const { endpoint, region, accessKeyId, secretAccessKey } = emulatedPlatforms(denying).bedrock ?? {};
    const config = writeConfig(
      folder.path,
      {
        platforms: { bedrock: { endpoint, region, accessKeyId, secretAccessKey } },
        routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] }],
      },
      'endpoint-only.yaml',
    );
    const run = await runCli(['doctor', '--config', config]);
    const bedrock = section(run.out, 'bedrock');
    // An account and ARN from the emulator's STS: the real STS would not know these keys.
    expect(bedrock).toContainEqual(
      expect.stringMatching(/^ {2}✓ AWS credentials \(STS GetCallerIdentity\): AWS account \d+ as arn:aws:/),
    );
    expect(bedrock).toContainEqual(
      expect.stringMatching(/^ {2}✓ model access: claude-sonnet-4-5 via bedrock\/global/),
    );
    expect(run.code).toBe(0);
  });

  it('fails the AWS check for a wrong secret, says what to fix, and skips model access', async () => {
    const platforms = emulatedPlatforms(denying);
    const config = writeConfig(
      folder.path,
      { platforms: { bedrock: { ...platforms.bedrock, secretAccessKey: 'not-the-secret' } } },
      'wrong-secret.yaml',
    );
    const run = await runCli(['doctor', '--config', config]);
    expect(run.code).toBe(1);
    const bedrock = section(run.out, 'bedrock');
    expect(bedrock).toContainEqual(expect.stringMatching(/^ {2}✓ credentials: static keys/));
    const failed = bedrock.findIndex((line) =>
      line.startsWith('  ✗ AWS credentials (STS GetCallerIdentity): STS GetCallerIdentity failed'),
    );
    expect(failed).toBeGreaterThan(0);
    expect(bedrock[failed + 1]).toMatch(/^ {6}fix: check the AWS credentials: `aws configure`/);
    expect(bedrock).toContain('  - model access: skipped: fix the credentials first');
    expect(run.out.at(-1)).toBe('1 check failed: see the ✗ lines and their fixes above.');
  });

  it('fails an Anthropic platform without a key, at the credentials step', async () => {
    const config = writeConfig(
      folder.path,
      { platforms: { anthropic: { baseUrl: denying.url } } },
      'no-key.yaml',
    );
    const run = await runCli(['doctor', '--config', config]);
    expect(run.code).toBe(1);
    const anthropic = section(run.out, 'anthropic');
    expect(anthropic[1]).toMatch(
      /^ {2}✗ credentials: no API key: set platforms.anthropic.apiKey or ANTHROPIC_API_KEY/,
    );
    expect(anthropic).toContain('  - Anthropic API key (GET /v1/models): skipped: fix the credentials first');
  });

  it('says no platform is configured, in one line', async () => {
    const config = writeConfig(folder.path, {}, 'empty.yaml');
    const run = await runCli(['doctor', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.error).toEqual([
      expect.stringMatching(/^claude-gateway doctor: no platform is configured\. /),
    ]);
  });

  it('refuses an unknown flag, and has --help', async () => {
    const run = await runCli(['doctor', '--fix']);
    expect(run.code).toBe(2);
    expect(run.error).toEqual([expect.stringContaining("claude-gateway doctor: Unknown option '--fix'")]);
    const help = await runCli(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.text).toContain('Usage: claude-gateway doctor');
  });
});
