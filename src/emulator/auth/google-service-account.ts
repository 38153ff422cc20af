import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, randomInt } from 'node:crypto';

/** A service-account key file, as the Google Cloud console hands it out. */
export interface ServiceAccountJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/** A service account whose private key the emulator holds. */
export interface EmulatorServiceAccount {
  projectId: string;
  email: string;
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  /** PKCS#8 PEM, as in a key file's `private_key`. */
  privateKeyPem: string;
  publicKey: KeyObject;
}

/**
 * Creates a service account with a fresh 2048-bit RSA key pair.
 *
 * @example
 * const account = createEmulatorServiceAccount({ projectId: 'p', email: 'emulator@p.iam.gserviceaccount.com' });
 * account.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----'); // true
 */
export function createEmulatorServiceAccount(options: {
  projectId: string;
  email: string;
}): EmulatorServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    projectId: options.projectId,
    email: options.email,
    clientId: `1${Array.from({ length: 20 }, () => randomInt(10)).join('')}`,
    keyId: randomBytes(20).toString('hex'),
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  };
}

/**
 * The complete key file for a service account, with `token_uri` pointing at the emulator.
 * (google-auth-library 10 posts its JWT to `https://oauth2.googleapis.com/token` whatever `token_uri` says.)
 *
 * @example
 * const json = serviceAccountJson(account, 'http://127.0.0.1:4000/token');
 * new GoogleAuth({ credentials: json, scopes: 'https://www.googleapis.com/auth/cloud-platform' });
 */
export function serviceAccountJson(account: EmulatorServiceAccount, tokenUri: string): ServiceAccountJson {
  return {
    type: 'service_account',
    project_id: account.projectId,
    private_key_id: account.keyId,
    private_key: account.privateKeyPem,
    client_email: account.email,
    client_id: account.clientId,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(account.email)}`,
    universe_domain: 'googleapis.com',
  };
}

/** A public key the emulator accepts signatures from. */
export interface RegisteredKey {
  keyId?: string;
  publicKey: KeyObject;
}

/** The service accounts whose JWTs the emulator accepts, by e-mail, each with its public keys. */
export class ServiceAccountRegistry {
  readonly #keys = new Map<string, RegisteredKey[]>();

  /**
   * Accepts JWTs signed by `publicKey` (a `KeyObject` or PEM, public or private) for the account `email`.
   *
   * @example
   * registry.register('other@p.iam.gserviceaccount.com', publicKeyPem, 'key-id');
   */
  register(email: string, publicKey: KeyObject | string, keyId?: string): void {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const entry: RegisteredKey =
      keyId === undefined ? { publicKey: publicPart(key) } : { keyId, publicKey: publicPart(key) };
    this.#keys.set(email, [...(this.#keys.get(email) ?? []), entry]);
  }

  /**
   * The keys that may have signed a JWT from `email`: the one named by `keyId` when given and known, else all.
   *
   * @example
   * registry.keysFor('emulator@p.iam.gserviceaccount.com').length; // 1
   */
  keysFor(email: string, keyId?: string): RegisteredKey[] {
    const keys = this.#keys.get(email) ?? [];
    const named = keyId === undefined ? [] : keys.filter((key) => key.keyId === keyId);
    return named.length > 0 ? named : keys;
  }

  has(email: string): boolean {
    return this.#keys.has(email);
  }
}

function publicPart(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}
