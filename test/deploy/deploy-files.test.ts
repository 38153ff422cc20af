/**
 * The deployment files, checked without docker: the Dockerfile's stages and
 * the commands and files they rely on, `npm ci --omit=dev` against the
 * lockfile (a dry run, offline), deploy/compose.yaml (three replicas,
 * Postgres, Redis, the configuration mounted where the image reads it) and
 * the image's healthcheck script against a running gateway, cleartext and TLS.
 */

import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigFile } from '../../src/config/load.js';
import { startTestGateway } from '../../src/test-support/gateway.js';
import { type SelfSignedCert, selfSignedCert } from '../../src/test-support/self-signed.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const CONFIG_PATH = '/etc/claude-gateway/claude-gateway.yaml';

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function dockerfileStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ image, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const argsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const stage = (name: string) => {
    const found = stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };
  const packageJson = JSON.parse(read('package.json')) as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
  };

  it('builds with npm ci and npm run build, and runs with production dependencies only', () => {
    expect(stages.map((candidate) => candidate.name)).toEqual(['build', 'deps', 'runtime']);
    expect(argsOf(stage('build'), 'RUN').join('\n')).toMatch(/npm ci\b/);
    expect(argsOf(stage('build'), 'RUN')).toContain('npm run build');
    expect(packageJson.scripts['build']).toContain('tsc -p tsconfig.build.json');
    expect(argsOf(stage('deps'), 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    // The native addon rebuilt by name is a production dependency.
    expect(packageJson.dependencies['better-sqlite3']).toBeDefined();
    // The runtime takes dist/ from the build and node_modules from the production install.
    const copies = argsOf(stage('runtime'), 'COPY');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const current of stages) {
      for (const args of argsOf(current, 'COPY')) {
        if (args.startsWith('--from=')) continue;
        const sources = args.split(/\s+/).slice(0, -1);
        for (const source of sources) {
          expect(existsSync(join(ROOT, source)), source).toBe(true);
          expect(ignored, source).not.toContain(source);
        }
      }
    }
  });

  it('runs serve from dist/ as a non-root user on port 4000 with the mounted configuration', () => {
    const runtime = stage('runtime');
    expect(stages.at(-1)).toBe(runtime);
    const user = argsOf(runtime, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(argsOf(runtime, 'EXPOSE')).toEqual(['4000']);
    const cmd = JSON.parse(argsOf(runtime, 'CMD')[0] ?? '[]') as string[];
    expect(cmd.slice(0, 3)).toEqual(['node', 'dist/cli/main.js', 'serve']);
    expect(cmd[cmd.indexOf('--config') + 1]).toBe(CONFIG_PATH);
    expect(cmd[cmd.indexOf('--port') + 1]).toBe('4000');
    // dist/cli/main.js is what tsconfig.build.json makes of src/cli/main.ts.
    expect(existsSync(join(ROOT, 'src/cli/main.ts'))).toBe(true);
    expect(JSON.parse(read('tsconfig.build.json')).compilerOptions).toMatchObject({
      rootDir: 'src',
      outDir: 'dist',
    });
    const healthcheck = argsOf(runtime, 'HEALTHCHECK')[0] ?? '';
    const probe = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
    expect(probe).toEqual(['node', 'deploy/healthcheck.mjs']);
  });

  it('npm ci --omit=dev resolves from the lockfile alone (dry run, offline) without dev dependencies', () => {
    const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-npm-ci-'));
    try {
      copyFileSync(join(ROOT, 'package.json'), join(folder, 'package.json'));
      copyFileSync(join(ROOT, 'package-lock.json'), join(folder, 'package-lock.json'));
      const output = execFileSync(
        'npm',
        ['ci', '--omit=dev', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
        { cwd: folder, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } },
      );
      expect(output).toMatch(/^add better-sqlite3 /m);
      expect(output).not.toMatch(/^add typescript /m);
      expect(output).not.toMatch(/^add vitest /m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true }) as {
    services: Record<string, { image?: string; ports?: string[]; volumes?: string[]; depends_on?: object }>;
  };
  const gateways = ['gateway-1', 'gateway-2', 'gateway-3'];

  it('runs three gateway replicas, Postgres and Redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...gateways, 'postgres', 'redis'].sort());
    expect(compose.services['postgres']?.image).toMatch(/^postgres:/);
    expect(compose.services['redis']?.image).toMatch(/^redis:/);
  });

  it('gives each replica its own host port onto the port the image exposes', () => {
    const hostPorts = gateways.map((name) => {
      const ports = compose.services[name]?.ports ?? [];
      expect(ports).toHaveLength(1);
      const [host, container] = (ports[0] ?? '').split(':');
      expect(container).toBe('4000');
      return host;
    });
    expect(new Set(hostPorts).size).toBe(3);
  });

  it('mounts the configuration where the image reads it, and that configuration is valid', () => {
    for (const name of gateways) {
      const mount = (compose.services[name]?.volumes ?? []).find((volume) => volume.includes(CONFIG_PATH));
      expect(mount, name).toBe(`./claude-gateway.yaml:${CONFIG_PATH}:ro`);
      expect(compose.services[name]?.depends_on).toHaveProperty('postgres');
      expect(compose.services[name]?.depends_on).toHaveProperty('redis');
    }
    const { config } = loadConfigFile(join(ROOT, 'deploy/claude-gateway.yaml'), {
      POSTGRES_PASSWORD: 'secret',
    });
    expect(config.store.url).toBe('postgres://gateway:secret@postgres:5432/gateway');
    expect(config.sessions.redisUrl).toBe('redis://redis:6379');
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 4000 });
  });
});

describe('deploy/healthcheck.mjs', () => {
  let files: SelfSignedCert;
  beforeAll(() => {
    files = selfSignedCert();
  });
  afterAll(() => files?.remove());

  const probe = (port: number) =>
    new Promise<number>((resolve) => {
      execFile(process.execPath, [join(ROOT, 'deploy/healthcheck.mjs')], {
        env: { ...process.env, HEALTHCHECK_PORT: String(port) },
      }).once('exit', (code) => resolve(code ?? -1));
    });

  it('exits 0 for a healthy gateway over HTTP or HTTPS, 1 when nothing answers', async () => {
    const plain = await startTestGateway();
    const secure = await startTestGateway({
      config: { server: { tls: { cert: files.certPath, key: files.keyPath } } },
    });
    try {
      expect(await probe(plain.gateway.port)).toBe(0);
      expect(await probe(secure.gateway.port)).toBe(0);
    } finally {
      await plain.close();
      await secure.close();
    }
    expect(await probe(plain.gateway.port)).toBe(1);
  });
});
