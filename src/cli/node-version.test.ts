import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, OLDEST_NODE } from './node-version.js';

describe('nodeVersionProblem', () => {
  it('accepts the oldest supported release and anything after it', () => {
    for (const version of [OLDEST_NODE, '22.20.0', '24.0.0', 'v24.21.0', '26.10.0']) {
      expect(nodeVersionProblem(version)).toBeUndefined();
    }
  });

  it('refuses older releases, naming the version found and the one needed', () => {
    for (const version of ['20.20.2', '22.18.9', '22.9.0', '18.0.0']) {
      const problem = nodeVersionProblem(version);
      expect(problem).toContain(`this is Node.js ${version}`);
      expect(problem).toContain(`Node.js ${OLDEST_NODE} or later`);
    }
  });

  it('agrees with package.json engines', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.engines.node).toBe(`>=${OLDEST_NODE}`);
    expect(pkg.bin['claude-gateway']).toBe('dist/cli/bin.js');
  });
});
