import { readFile } from 'node:fs/promises';
import type { AuthClient, GoogleAuth, GoogleAuthOptions } from 'google-auth-library';
import { isJsonObject, safeParseJson } from '../../wire/json.js';
import { googleCredentialsError } from './google-credentials-error.js';
import { customTokenUri } from './google-credentials-json.js';
import { redirectGoogleTokenRequests } from './google-token-redirect.js';
import type {
  GoogleCredentialsDescription,
  GoogleCredentialType,
  GoogleRequestHeaders,
  GoogleTokenSource,
  GoogleTokenSourceOptions,
} from './google-token-source.js';

/** The OAuth scope Vertex AI needs. */
export const GOOGLE_CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * A token source over google-auth-library's `GoogleAuth`: explicit
 * credentials, a key file, or Application Default Credentials. The library
 * caches the client and its token, refreshes the token 5 minutes before it
 * expires and runs one refresh at a time; this class adds the token URL
 * override, the project order and errors that say how to fix them.
 *
 * @example
 * const source = new GoogleAuthTokenSource({ keyFile: 'key.json' }, undefined);
 * await source.getProjectId(); // the key file's project_id
 */
export class GoogleAuthTokenSource implements GoogleTokenSource {
  private auth: Promise<GoogleAuth> | undefined;
  private project: Promise<string> | undefined;
  private resolvedProjectId: string | undefined;

  constructor(
    private readonly options: GoogleTokenSourceOptions,
    private readonly configuredProjectId: string | undefined,
  ) {}

  get knownProjectId(): string | undefined {
    return this.configuredProjectId ?? this.resolvedProjectId;
  }

  async getRequestHeaders(): Promise<GoogleRequestHeaders> {
    const client = await this.client();
    let headers: Headers;
    try {
      headers = await client.getRequestHeaders();
    } catch (error) {
      throw googleCredentialsError(error, 'token');
    }
    const authorization = headers.get('authorization');
    if (!authorization) {
      throw googleCredentialsError(new Error('the credentials gave no authorization header'), 'token');
    }
    const result: GoogleRequestHeaders = { authorization };
    const quotaProject = this.options.quotaProjectId ?? headers.get('x-goog-user-project');
    if (quotaProject) result['x-goog-user-project'] = quotaProject;
    return result;
  }

  async getAccessToken(): Promise<string> {
    const client = await this.client();
    try {
      const { token } = await client.getAccessToken();
      if (!token) throw new Error('the credentials gave no access token');
      return token;
    } catch (error) {
      throw googleCredentialsError(error, 'token');
    }
  }

  getProjectId(): Promise<string> {
    if (this.knownProjectId) return Promise.resolve(this.knownProjectId);
    this.project ??= this.findProjectId().then(
      (projectId) => {
        this.resolvedProjectId = projectId;
        return projectId;
      },
      (error: unknown) => {
        this.project = undefined;
        throw error;
      },
    );
    return this.project;
  }

  async describeCredentials(): Promise<GoogleCredentialsDescription> {
    const client = await this.client();
    const { BaseExternalAccountClient, Compute, Impersonated, JWT, UserRefreshClient } =
      await loadGoogleAuthLibrary();
    if (client instanceof JWT) return withPrincipal('service_account', client.email);
    if (client instanceof Impersonated) return withPrincipal('impersonated', client.getTargetPrincipal());
    if (client instanceof UserRefreshClient) return { type: 'authorized_user' };
    if (client instanceof BaseExternalAccountClient) {
      return withPrincipal('external_account', client.getServiceAccountEmail());
    }
    if (client instanceof Compute) {
      const auth = await this.googleAuth();
      const credentials = await auth.getCredentials().catch(() => undefined);
      return withPrincipal('compute', credentials?.client_email);
    }
    return { type: 'other' };
  }

  private async findProjectId(): Promise<string> {
    const client = await this.client();
    if (client.projectId) return client.projectId;
    const auth = await this.googleAuth();
    try {
      return await auth.getProjectId();
    } catch (error) {
      // As the official Vertex SDK does: the quota project is the project when nothing else names one.
      const quotaProject = this.options.quotaProjectId ?? client.quotaProjectId;
      if (quotaProject) return quotaProject;
      throw googleCredentialsError(error, 'project');
    }
  }

  private async client(): Promise<AuthClient> {
    const auth = await this.googleAuth();
    try {
      return await auth.getClient();
    } catch (error) {
      throw googleCredentialsError(error, 'token');
    }
  }

  /** The GoogleAuth, made once; its client and tokens are cached inside it. */
  private googleAuth(): Promise<GoogleAuth> {
    this.auth ??= this.createGoogleAuth().catch((error: unknown) => {
      this.auth = undefined;
      throw googleCredentialsError(error, 'token');
    });
    return this.auth;
  }

  private async createGoogleAuth(): Promise<GoogleAuth> {
    const credentials = parseCredentials(this.options.credentials);
    const credentialsSource =
      credentials ?? this.options.keyFile ?? (process.env['GOOGLE_APPLICATION_CREDENTIALS'] || undefined);
    const tokenUrl = this.options.tokenUrl ?? (await customTokenUri(credentialsSource));
    const fetchImplementation = tokenUrl
      ? redirectGoogleTokenRequests(tokenUrl, this.options.fetch)
      : this.options.fetch;
    const authOptions: GoogleAuthOptions = {
      scopes: this.options.scopes ?? GOOGLE_CLOUD_PLATFORM_SCOPE,
      ...(fetchImplementation ? { clientOptions: { transporterOptions: { fetchImplementation } } } : {}),
    };
    // A known project spares ADC its own search (gcloud, the metadata server) when it loads the credentials.
    if (this.configuredProjectId) authOptions.projectId = this.configuredProjectId;
    const library = await loadGoogleAuthLibrary();
    const json = credentials ?? (this.options.keyFile ? await readKeyFile(this.options.keyFile) : undefined);
    const client = json ? typedClient(library, json, authOptions) : undefined;
    if (client) {
      authOptions.authClient = client;
      if (!authOptions.projectId && typeof json?.['project_id'] === 'string')
        authOptions.projectId = json['project_id'];
    } else if (credentials) {
      authOptions.credentials = credentials as GoogleAuthOptions['credentials'];
    } else if (this.options.keyFile) {
      authOptions.keyFilename = this.options.keyFile;
    }
    return new library.GoogleAuth(authOptions);
  }
}

/**
 * google-auth-library (about 10 MB of memory) is loaded when Google
 * credentials are first needed, not when the module loads: a gateway without
 * Vertex never pays for it.
 */
function loadGoogleAuthLibrary() {
  return import('google-auth-library');
}

/** A key file's JSON; a file that is not JSON is left to the library, whose error names it. */
async function readKeyFile(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = safeParseJson(text);
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}

/**
 * The client for a service account key or a gcloud user's credentials, built
 * from the JSON whose `type` the gateway has checked: google-auth-library 11
 * deprecates handing it unchecked credentials (`credentials`, `keyFilename`)
 * and warns on the console each time. Other types (external accounts,
 * impersonation) still go through the library's own loader.
 */
function typedClient(
  library: Awaited<ReturnType<typeof loadGoogleAuthLibrary>>,
  json: Record<string, unknown>,
  options: GoogleAuthOptions,
): AuthClient | undefined {
  const text = (key: string) => (typeof json[key] === 'string' ? (json[key] as string) : undefined);
  const clientOptions = { ...(options.clientOptions ?? {}) };
  if (json['type'] === 'service_account' && text('client_email') && text('private_key')) {
    const keyId = text('private_key_id');
    const universeDomain = text('universe_domain');
    const quotaProjectId = text('quota_project_id');
    return new library.JWT({
      ...clientOptions,
      email: text('client_email'),
      key: text('private_key'),
      ...(keyId ? { keyId } : {}),
      ...(universeDomain ? { universeDomain } : {}),
      ...(quotaProjectId ? { quotaProjectId } : {}),
      scopes: options.scopes,
    });
  }
  if (json['type'] === 'authorized_user' && text('refresh_token')) {
    const quotaProjectId = text('quota_project_id');
    return new library.UserRefreshClient({
      ...clientOptions,
      clientId: text('client_id'),
      clientSecret: text('client_secret'),
      refreshToken: text('refresh_token'),
      ...(quotaProjectId ? { quotaProjectId } : {}),
    });
  }
  return undefined;
}

function parseCredentials(
  credentials: GoogleTokenSourceOptions['credentials'],
): Record<string, unknown> | undefined {
  if (credentials === undefined) return undefined;
  if (typeof credentials !== 'string') return credentials;
  const parsed = safeParseJson(credentials);
  if (!parsed.ok || !isJsonObject(parsed.value)) {
    throw new Error(
      `The credentials option is not valid JSON: ${parsed.ok ? 'not an object' : parsed.error.message}`,
    );
  }
  return parsed.value;
}

function withPrincipal(
  type: GoogleCredentialType,
  principal: string | null | undefined,
): GoogleCredentialsDescription {
  return principal ? { type, principal } : { type };
}
