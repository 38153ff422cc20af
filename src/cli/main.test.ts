import { describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';

describe('main', () => {
  it('lists every command in its help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['serve', 'emulate', 'models', 'doctor', 'logs', 'report', 'keys']) {
      expect(run.text).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
  });

  it.each(['models', 'doctor', 'logs', 'keys'])('gives %s --help', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.text.split('\n')[0]).toBe(
      `Usage: claude-gateway ${command} ${command === 'keys' ? '<create|list|update|rotate|revoke> ' : ''}[options]`,
    );
  });

  it('keeps a flag error to one line', async () => {
    const run = await runCli(['logs', '--limit']);
    expect(run.code).toBe(2);
    expect(run.error).toHaveLength(1);
    expect(run.error[0]).not.toContain('\n');
    expect(run.error[0]).toMatch(
      /^claude-gateway logs: Option '--limit <value>' argument missing\. Run "claude-gateway logs --help"\.$/,
    );
  });
});
