import { googleCredentialsError } from './google-credentials-error.js';
import type {
  GoogleCredentialsDescription,
  GoogleRequestHeaders,
  GoogleTokenSource,
  GoogleTokenSourceOptions,
} from './google-token-source.js';

/**
 * A token source over a fixed access token (or a function giving one): no
 * Google credentials are loaded, and the project must be configured.
 *
 * @example
 * await new FixedTokenSource('ya29…', 'my-project', {}).getRequestHeaders(); // { authorization: 'Bearer ya29…' }
 */
export class FixedTokenSource implements GoogleTokenSource {
  constructor(
    private readonly token: string | (() => string | Promise<string>),
    readonly knownProjectId: string | undefined,
    private readonly options: GoogleTokenSourceOptions,
  ) {}

  async getAccessToken(): Promise<string> {
    let token: string;
    try {
      token = typeof this.token === 'string' ? this.token : await this.token();
    } catch (error) {
      throw googleCredentialsError(error, 'token');
    }
    if (!token) throw googleCredentialsError(new Error('the access token given is empty'), 'token');
    return token;
  }

  async getRequestHeaders(): Promise<GoogleRequestHeaders> {
    const headers: GoogleRequestHeaders = { authorization: `Bearer ${await this.getAccessToken()}` };
    if (this.options.quotaProjectId) headers['x-goog-user-project'] = this.options.quotaProjectId;
    return headers;
  }

  async getProjectId(): Promise<string> {
    if (this.knownProjectId) return this.knownProjectId;
    throw googleCredentialsError(new Error('a fixed access token names no project'), 'project');
  }

  async describeCredentials(): Promise<GoogleCredentialsDescription> {
    return { type: 'access_token' };
  }
}
