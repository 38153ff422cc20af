import { describe, expect, it } from 'vitest';
import { handleMetadataRequest } from './google-metadata-server.js';
import { GoogleTokenIssuer } from './google-tokens.js';

const issuer = new GoogleTokenIssuer();
const email = 'emulator@emulator-project.iam.gserviceaccount.com';
const options = { issuer, projectId: 'emulator-project', serviceAccountEmail: email };

function get(path: string, headers: Record<string, string> = { 'Metadata-Flavor': 'Google' }): Response {
  return handleMetadataRequest(new Request(`http://169.254.169.254${path}`, { headers }), options);
}

describe('handleMetadataRequest', () => {
  it('refuses requests without Metadata-Flavor: Google, as the real server does', async () => {
    const response = get('/computeMetadata/v1/project/project-id', {});
    expect(response.status).toBe(403);
    expect(response.headers.get('metadata-flavor')).toBe('Google');
    expect(await response.text()).toContain('Missing Metadata-Flavor:Google header.');
  });

  it('answers the project id as text', async () => {
    const response = get('/computeMetadata/v1/project/project-id');
    expect(response.status).toBe(200);
    expect(response.headers.get('metadata-flavor')).toBe('Google');
    expect(response.headers.get('content-type')).toBe('application/text');
    expect(await response.text()).toBe('emulator-project');
  });

  it("answers the default account's token, which the issuer accepts", async () => {
    const response = get(
      '/computeMetadata/v1/instance/service-accounts/default/token?scopes=https://www.googleapis.com/auth/cloud-platform',
    );
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(issuer.verifyGoogleBearer(`Bearer ${body.access_token}`)).toMatchObject({
      ok: true,
      principal: { type: 'compute', email, scopes: ['https://www.googleapis.com/auth/cloud-platform'] },
    });
  });

  it('answers the paths google-auth-library and gcp-metadata probe', async () => {
    const paths = {
      '/computeMetadata/v1/instance': 'service-accounts/',
      '/computeMetadata/v1/': 'instance/',
      '/computeMetadata/v1/instance/service-accounts/default/email': email,
      [`/computeMetadata/v1/instance/service-accounts/${email}/email`]: email,
      '/computeMetadata/v1/universe/universe-domain': 'googleapis.com',
    };
    for (const [path, expected] of Object.entries(paths)) {
      const response = get(path);
      expect([path, response.status]).toEqual([path, 200]);
      expect(await response.text()).toContain(expected);
    }
  });

  it('answers unknown paths with 404, still as the metadata server', () => {
    const response = get('/computeMetadata/v1/instance/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('metadata-flavor')).toBe('Google');
  });
});
