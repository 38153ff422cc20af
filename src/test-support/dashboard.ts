/**
 * Test-only: the built dashboard and a real browser for it. `npm test`
 * builds the dashboard first; a test run on its own builds it when missing.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UI_PUBLIC_DIR } from '../ui/server/static-assets.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Builds dist/ui/public (a second or two) unless it is there. */
export function buildDashboardIfMissing(): void {
  if (existsSync(join(UI_PUBLIC_DIR, 'index.html'))) return;
  execFileSync(process.execPath, [join(ROOT, 'src', 'ui', 'build-ui.ts')], { cwd: ROOT, stdio: 'inherit' });
}

/** Where Debian's chromium is (or CHROMIUM_PATH); the browser tests fail, never skip, without it. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find(
    (path): path is string => path !== undefined && path !== '' && existsSync(path),
  );
  if (!found) {
    throw new Error(
      "The dashboard browser test needs Chromium: install Debian's (apt-get install -y chromium; .ci/run does) " +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary. No browser is downloaded.',
    );
  }
  return found;
}
