/**
 * Test-only: renders this repository's Helm chart as `helm template` does,
 * for the deployment tests. helm cannot be installed where the suite runs
 * (neither npm nor Debian ships it), but the libraries its engine is made of
 * can: Go's text/template, Masterminds' sprig and sigs.k8s.io/yaml are Debian
 * packages. ./helm-engine/main.go is the thin part of Helm's engine around
 * them; this file builds it once per source version (GOPATH mode, offline,
 * from Debian's /usr/share/gocode) and runs it.
 *
 * Needs: apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
 * (`.ci/run` installs them).
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ENGINE_SOURCE = fileURLToPath(new URL('./helm-engine/', import.meta.url));
const DEBIAN_GOPATH = '/usr/share/gocode';
const DEBIAN_PACKAGES = 'golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev';

let engine: string | undefined;

/** The engine binary, built on first use into a folder named after its source's hash. */
function engineBinary(): string {
  engine ??= buildEngine();
  return engine;
}

function buildEngine(): string {
  const source = readFileSync(join(ENGINE_SOURCE, 'main.go'));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const home = join(tmpdir(), `claude-gateway-helm-engine-${hash}`);
  const binary = join(home, 'helm-engine');
  if (existsSync(binary)) return binary;
  if (!existsSync(join(DEBIAN_GOPATH, 'src/github.com/Masterminds/sprig'))) {
    throw new Error(
      `rendering the Helm chart needs Go and Helm's template libraries: apt-get install ${DEBIAN_PACKAGES}`,
    );
  }
  // sprig v3 imports github.com/Masterminds/semver/v3, which Debian installs without the /v3
  // folder: a GOPATH of our own in front of Debian's supplies that one path.
  const overlay = join(home, 'gopath');
  const semver = join(overlay, 'src/github.com/Masterminds/semver');
  mkdirSync(semver, { recursive: true });
  if (!existsSync(join(semver, 'v3')))
    symlinkSync(join(DEBIAN_GOPATH, 'src/github.com/Masterminds/semver'), join(semver, 'v3'));
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('go', ['build', '-o', partial, '.'], {
      cwd: ENGINE_SOURCE,
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH: `${overlay}:${DEBIAN_GOPATH}`,
        GOCACHE: join(home, 'cache'),
        GOFLAGS: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    const missing = (error as { code?: string }).code === 'ENOENT';
    throw new Error(
      missing
        ? `rendering the Helm chart needs Go: apt-get install ${DEBIAN_PACKAGES}`
        : `building test/deploy/helm-engine failed: ${stderr || String(error)}`,
    );
  }
  renameSync(partial, binary);
  return binary;
}

export interface RenderedChart {
  /** Each template's output, by file name (`deployment.yaml`, `NOTES.txt`). */
  files: Record<string, string>;
  /** The Kubernetes objects of every manifest, in file order. */
  objects: Record<string, unknown>[];
  /** The values the templates saw: values.yaml with the overrides coalesced over it. */
  values: Record<string, unknown>;
}

/**
 * Renders a chart folder as `helm template RELEASE CHART -f overrides.yaml`
 * would. A template error (unknown function, `required` value missing, bad
 * syntax) throws with the engine's message.
 */
export function renderChart(
  folder: string,
  release: string,
  overrides: Record<string, unknown> = {},
): RenderedChart {
  let output: string;
  try {
    output = execFileSync(engineBinary(), {
      input: JSON.stringify({ chart: folder, release, namespace: 'default', values: overrides }),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(stderr?.trim() || String(error));
  }
  const rendered = JSON.parse(output) as { files: Record<string, string>; values: Record<string, unknown> };
  const files: Record<string, string> = {};
  const objects: Record<string, unknown>[] = [];
  for (const path of Object.keys(rendered.files).sort()) {
    const name = basename(path);
    const text = rendered.files[path] ?? '';
    files[name] = text;
    if (!name.endsWith('.yaml')) continue;
    for (const document of text.split(/^---\s*$/m)) {
      const object = parse(document) as Record<string, unknown> | null;
      if (object) objects.push(object);
    }
  }
  return { files, objects, values: rendered.values };
}
