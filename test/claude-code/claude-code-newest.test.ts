// The newest Claude Code on the registry (pinned in devDependencies) through the gateway: see claude-code-suite.ts.
process.env['CLAUDE_CODE_TEST_BUILD'] = 'newest';
await import('./claude-code-suite.js');
