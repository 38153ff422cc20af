/**
 * The descriptors hold every fact about a platform, and the rest of the code
 * asks them: every registered descriptor has every field, and no code outside
 * `src/platforms/` and `src/emulator/` compares a platform with a platform's
 * name (so adding a platform is one folder plus the catalog data).
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import { PLATFORMS } from '../catalog/types.js';
import type { PlatformDescriptor } from './descriptor.js';
import { descriptorOf, PLATFORM_DESCRIPTORS } from './descriptors.js';

const SOURCE = join(import.meta.dirname, '..');

/** Every field a descriptor must carry (the interface's keys, listed so a new one is checked). */
const FIELDS: readonly (keyof PlatformDescriptor)[] = [
  'name',
  'displayName',
  'configKey',
  'ownsConfigSection',
  'streamFraming',
  'errorDialect',
  'genAiProviderName',
  'credentialCheck',
  'targets',
  'betas',
  'apiVersions',
  'maxBodyBytes',
  'lifecycle',
  'regionalPremium',
  'modelId',
  'catalogId',
  'fixHint',
  'listModels',
  'verify',
  'catalogView',
  'location',
];

const TARGET_FIELDS = [
  'syntax',
  'takesRegion',
  'parse',
  'key',
  'geo',
  'defaults',
  'forModel',
  'region',
] as const;

describe('the platform descriptors', () => {
  it('cover every platform, in order, each under its own name', () => {
    expect(PLATFORM_DESCRIPTORS.map((descriptor) => descriptor.name)).toEqual(PLATFORMS);
    for (const platform of PLATFORMS) expect(descriptorOf(platform).name).toBe(platform);
  });

  it.each(PLATFORM_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor] as const))(
    '%s has every field',
    (_name, descriptor) => {
      for (const field of FIELDS) expect(descriptor[field], field).not.toBeUndefined();
      for (const field of TARGET_FIELDS)
        expect(descriptor.targets[field], `targets.${field}`).not.toBeUndefined();
      expect(descriptor.displayName.length).toBeGreaterThan(0);
      expect(descriptor.apiVersions.accepted.length).toBeGreaterThan(0);
      expect(descriptor.maxBodyBytes).toBeGreaterThan(0);
      expect(PLATFORMS).toContain(descriptor.lifecycle.datesOf);
    },
  );

  it('writes each display name once', () => {
    const names = PLATFORM_DESCRIPTORS.map((descriptor) => descriptor.displayName);
    expect(new Set(names).size).toBe(names.length);
  });

  it("parses the targets it writes (each platform's default target for a current model round-trips)", () => {
    const resolved = resolveModel('claude-opus-5-5');
    for (const descriptor of PLATFORM_DESCRIPTORS) {
      const target = descriptor.targets.forModel(resolved, {
        bedrockRegion: 'us-east-1',
        vertexRegion: 'global',
      });
      const key = descriptor.targets.key(target);
      const [, where] = key.split('/', 2);
      expect(descriptor.targets.key(descriptor.targets.parse(where, key, {})), key).toBe(key);
    }
  });
});

/** Source files outside the platforms and the emulator (tests and test helpers aside). */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    const where = relative(SOURCE, path);
    if (where === 'platforms' || where === 'emulator' || where === 'test-support') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.includes('__fixtures__') ? [path] : [];
  });
}

const NAMES = PLATFORMS.map((name) => name.replace(/-/g, '\\-')).join('|');
const NAMED = `['"](${NAMES})['"]`;
/** Names only a platform has (the client dialects are anthropic, bedrock and vertex too). */
const PLATFORM_ONLY = PLATFORMS.filter((name) => !['anthropic', 'bedrock', 'vertex'].includes(name));
const RULES: readonly { why: string; pattern: RegExp }[] = [
  { why: 'compares a platform with a name', pattern: new RegExp(`[pP]latform\\w*\\s*[!=]==?\\s*${NAMED}`) },
  {
    why: 'compares a name with a platform',
    pattern: new RegExp(`${NAMED}\\s*[!=]==?\\s*\\w*\\.?[pP]latform`),
  },
  { why: 'asks offeredBy for a name', pattern: new RegExp(`offeredBy\\.includes\\(${NAMED}\\)`) },
  {
    why: 'keys a table by platform names',
    pattern: new RegExp(`^\\s*['"](${PLATFORM_ONLY.join('|')})['"]\\s*:`),
  },
];

/** `case 'x':` lines inside a `switch` on a platform. */
function platformCases(lines: readonly string[]): number[] {
  const found: number[] = [];
  let switchOnPlatform = false;
  lines.forEach((line, index) => {
    const opened = /\bswitch\s*\((.*)\)/.exec(line);
    if (opened) switchOnPlatform = /platform/i.test(opened[1] ?? '');
    if (switchOnPlatform && new RegExp(`\\bcase\\s+${NAMED}\\s*:`).test(line)) found.push(index);
  });
  return found;
}

describe('no code outside src/platforms/ branches on platform names', () => {
  it('finds no comparison, case, offeredBy lookup or table keyed by a platform name', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(SOURCE)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      const where = (index: number) => `${relative(SOURCE, file)}:${index + 1}`;
      lines.forEach((line, index) => {
        if (/^\s*(\*|\/\/)/.test(line)) return; // comments and examples
        for (const rule of RULES)
          if (rule.pattern.test(line)) offences.push(`${where(index)} ${rule.why}: ${line.trim()}`);
      });
      for (const index of platformCases(lines))
        offences.push(`${where(index)} switches on a platform: ${lines[index]?.trim()}`);
    }
    expect(offences, 'ask the descriptor (src/platforms/<name>/descriptor.ts) instead').toEqual([]);
  });
});
