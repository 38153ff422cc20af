// Claude Code 2.1.197 (an older build many teams still run) through the gateway: see claude-code-suite.ts.
process.env['CLAUDE_CODE_TEST_BUILD'] = '2.1.197';
await import('./claude-code-suite.js');
