/**
 * The region targets that name none are called in: the configuration's, else
 * the one the environment gives (as the start line says), never a silent
 * us-east-1. The environment is injected; the process's own is not touched.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { parseConfig } from '../config/load.js';
import type { PlatformsConfig } from '../config/schema.js';
import { startEmulator } from '../emulator/server.js';
import { targetKey } from '../engine/targets.js';
import { checkCredentials } from '../platforms/preflight.js';
import { openStore } from '../store/open-store.js';
import { buildRoutingTable } from './routing.js';
import { startGateway } from './server.js';

const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-region-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const config = (sections: Record<string, unknown> = {}) =>
  parseConfig({ server: { host: '127.0.0.1', port: 0 }, ...sections }, {}, 'test configuration');
/** An environment with no AWS config file to fall back on. */
const quiet = { AWS_CONFIG_FILE: join(folder, 'none') };
const defaults = (platforms: PlatformsConfig, env: Record<string, string>) =>
  buildRoutingTable(config(), platforms, { ...quiet, ...env }).defaultTargets.map(targetKey);

describe('targets that name no region', () => {
  it('are called in the Bedrock region from AWS_REGION, AWS_DEFAULT_REGION or the profile', () => {
    const bedrock = { bedrock: { endpoint: 'http://127.0.0.1:9' } };
    expect(defaults(bedrock, { AWS_REGION: 'eu-west-1' })).toEqual([
      'bedrock/global@eu-west-1',
      'bedrock/us@us-east-1',
    ]);
    expect(defaults(bedrock, { AWS_DEFAULT_REGION: 'us-west-2' })).toEqual([
      'bedrock/global@us-west-2',
      'bedrock/us@us-west-2',
    ]);
    const file = join(folder, 'config');
    writeFileSync(file, '[profile dev]\nregion = ap-northeast-1\n');
    expect(defaults(bedrock, { AWS_CONFIG_FILE: file, AWS_PROFILE: 'dev' })[0]).toBe(
      'bedrock/global@ap-northeast-1',
    );
    expect(
      defaults({ bedrock: { endpoint: 'http://127.0.0.1:9', profile: 'dev' } }, { AWS_CONFIG_FILE: file })[0],
    ).toBe('bedrock/global@ap-northeast-1');
    // The configuration's region wins; with nothing anywhere, us-east-1.
    expect(defaults({ bedrock: { region: 'eu-central-1' } }, { AWS_REGION: 'eu-west-1' })[0]).toBe(
      'bedrock/global@eu-central-1',
    );
    expect(defaults(bedrock, {})[0]).toBe('bedrock/global@us-east-1');
    // A route's bare scope too.
    const routed = buildRoutingTable(
      config({ routes: [{ models: ['sonnet'], targets: ['bedrock/eu', 'bedrock/global'] }] }),
      bedrock,
      { ...quiet, AWS_REGION: 'eu-west-1' },
    );
    expect(routed.routes[0]?.targets.map(targetKey)).toEqual([
      'bedrock/eu@eu-west-1',
      'bedrock/global@eu-west-1',
    ]);
  });

  it('are called in the Vertex location from CLOUD_ML_REGION', () => {
    expect(defaults({ vertex: { projectId: 'p' } }, { CLOUD_ML_REGION: 'us-east5' })).toEqual([
      'vertex/us-east5',
    ]);
    expect(
      defaults({ vertex: { projectId: 'p', region: 'europe-west1' } }, { CLOUD_ML_REGION: 'us-east5' }),
    ).toEqual(['vertex/europe-west1']);
  });

  it('agree with the region the start line reports', async () => {
    const [check] = await checkCredentials(
      { bedrock: { apiKey: 'k', endpoint: 'http://127.0.0.1:9' } },
      { ...quiet, AWS_REGION: 'eu-west-1' },
    );
    expect(check?.detail).toContain('region eu-west-1 (from AWS_REGION)');
  });

  it('sends and signs a request for the region AWS_REGION names, with only an endpoint configured', async () => {
    const emulator = await startEmulator({ port: 0, serveRetired: true });
    const { region: _configured, ...bedrock } = emulatedPlatforms(emulator).bedrock ?? {};
    const store = await openStore('sqlite::memory:');
    const gateway = await startGateway({
      // No model discovery: the journal's first Bedrock entry must be this request.
      config: { ...config(), discovery: { enabled: false, intervalMinutes: 60 } },
      platforms: { bedrock },
      store,
      env: { ...quiet, AWS_REGION: 'eu-west-1' },
      logger: pino({ level: 'silent' }),
    });
    try {
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'where' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-claude-gateway-target')).toBe('bedrock/global@eu-west-1');
      const [entry] = emulator.state.journal.list({ platform: 'bedrock' });
      expect(entry?.region).toBe('eu-west-1');
      expect(entry?.headers['authorization']).toMatch(
        /Credential=[^/]+\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
      );
    } finally {
      await gateway.stop(1_000);
      await emulator.close();
    }
  });
});
