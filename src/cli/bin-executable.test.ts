/**
 * `npx claude-gateway` in a checkout runs `dist/cli/bin.js` itself, which
 * needs the executable bit. `npm ci` sets it when it links the package's bin,
 * but `npm run build` (the first step of `npm test`) writes the file anew: the
 * build sets the bit itself, so the README's main job still starts after the
 * tests ran. Needs the built dist/ (npm test builds it first).
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('builds the CLI entry point executable', () => {
  const bin = join(import.meta.dirname, '../../dist/cli/bin.js');
  expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
});
