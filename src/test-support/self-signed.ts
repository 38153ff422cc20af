/**
 * Test-only: a self-signed certificate for 127.0.0.1 and localhost, made with
 * the openssl CLI in a temp folder, valid for one day from now (so no test
 * depends on the date).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCert {
  folder: string;
  certPath: string;
  keyPath: string;
  /** The certificate (PEM); being self-signed, it is also the CA a client trusts. */
  cert: Buffer;
  key: Buffer;
  remove(): void;
}

export function selfSignedCert(): SelfSignedCert {
  const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-tls-'));
  const certPath = join(folder, 'cert.pem');
  const keyPath = join(folder, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  return {
    folder,
    certPath,
    keyPath,
    cert: readFileSync(certPath),
    key: readFileSync(keyPath),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
