import type { IdTokenSigner } from './google-id-token.js';
import type { GoogleTokenIssuer } from './google-tokens.js';

export interface MetadataServerOptions {
  issuer: GoogleTokenIssuer;
  projectId: string;
  numericProjectId?: string;
  /** The instance's default service account. */
  serviceAccountEmail: string;
  /** Scopes of the default account's tokens when the client names none. */
  defaultScopes?: readonly string[];
  zone?: string;
  /** Signs the ID tokens of `…/identity?audience=…`; without it that path answers 404. */
  signIdToken?: IdTokenSigner;
}

export const metadataBasePath = '/computeMetadata/v1';

type MetadataAnswer = { kind: 'text'; body: string } | { kind: 'json'; body: unknown } | { kind: 'none' };

const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * The GCE metadata server under `/computeMetadata/v1/` (what `GCE_METADATA_HOST` points at): project id,
 * instance facts, and the default service account's e-mail, scopes, access token and ID token. Like the real
 * server it answers only requests carrying `Metadata-Flavor: Google` (else 403), and tags every answer with it.
 *
 * @example
 * app.get('/computeMetadata/*', (context) => handleMetadataRequest(context.req.raw, { issuer, projectId, serviceAccountEmail }));
 */
export function handleMetadataRequest(request: Request, options: MetadataServerOptions): Response {
  const url = new URL(request.url);
  if (
    request.headers.get('metadata-flavor') !== 'Google' &&
    request.headers.get('x-google-metadata-request') !== 'True'
  ) {
    return htmlError(
      403,
      `Your client does not have permission to get URL <code>${escapeHtml(url.pathname)}</code> from this server. Missing Metadata-Flavor:Google header.`,
    );
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return htmlError(405, `The request method ${escapeHtml(request.method)} is inappropriate for the URL.`);
  }
  const answer = answerFor(url, options);
  if (answer.kind === 'none') {
    return htmlError(
      404,
      `The requested URL <code>${escapeHtml(url.pathname)}</code> was not found on this server.`,
    );
  }
  const json = answer.kind === 'json';
  return new Response(json ? JSON.stringify(answer.body) : answer.body, {
    headers: metadataHeaders(json ? 'application/json' : 'application/text'),
  });
}

function answerFor(url: URL, options: MetadataServerOptions): MetadataAnswer {
  if (url.pathname === '/' || url.pathname === '') return text('computeMetadata/\n');
  if (!url.pathname.startsWith(`${metadataBasePath}/`) && url.pathname !== metadataBasePath)
    return { kind: 'none' };
  const path = url.pathname.slice(metadataBasePath.length).replace(/^\/+|\/+$/g, '');
  const numericProjectId = options.numericProjectId ?? '123456789012';
  const zone = options.zone ?? 'us-central1-a';
  const account = accountPath(path, options.serviceAccountEmail);
  if (account !== undefined) return serviceAccountAnswer(account, url.searchParams, options);
  const listings: Record<string, string> = {
    '': 'instance/\noslogin/\nproject/\nuniverse/\n',
    instance: 'attributes/\nhostname\nid\nmachine-type\nname\nservice-accounts/\nzone\n',
    'instance/attributes': '',
    'instance/service-accounts': `default/\n${options.serviceAccountEmail}/\n`,
    project: 'attributes/\nnumeric-project-id\nproject-id\n',
    'project/attributes': '',
    universe: 'universe-domain\n',
  };
  const values: Record<string, string> = {
    'instance/hostname': `emulator.${zone}.c.${options.projectId}.internal`,
    'instance/id': '1234567890123456789',
    'instance/machine-type': `projects/${numericProjectId}/machineTypes/e2-standard-2`,
    'instance/name': 'emulator',
    'instance/zone': `projects/${numericProjectId}/zones/${zone}`,
    'project/project-id': options.projectId,
    'project/numeric-project-id': numericProjectId,
    'universe/universe-domain': 'googleapis.com',
  };
  const value = listings[path] ?? values[path];
  return value === undefined ? { kind: 'none' } : text(value);
}

/** `instance/service-accounts/{default|email}/…` → the rest of the path, or `undefined`. */
function accountPath(path: string, email: string): string | undefined {
  const match = /^instance\/service-accounts\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match || (match[1] !== 'default' && match[1] !== email)) return undefined;
  return match[2] ?? '';
}

function serviceAccountAnswer(
  rest: string,
  query: URLSearchParams,
  options: MetadataServerOptions,
): MetadataAnswer {
  const defaultScopes = options.defaultScopes ?? [cloudPlatformScope];
  switch (rest) {
    case '':
      return text('aliases\nemail\nidentity\nscopes\ntoken\n');
    case 'aliases':
      return text('default\n');
    case 'email':
      return text(options.serviceAccountEmail);
    case 'scopes':
      return text(`${defaultScopes.join('\n')}\n`);
    case 'token': {
      const requested = (query.get('scopes') ?? '').split(',').filter((scope) => scope !== '');
      const scopes = requested.length > 0 ? requested : [...defaultScopes];
      const issued = options.issuer.issue({ type: 'compute', email: options.serviceAccountEmail, scopes });
      return {
        kind: 'json',
        body: { access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: 'Bearer' },
      };
    }
    case 'identity': {
      const audience = query.get('audience');
      if (!options.signIdToken || !audience) return { kind: 'none' };
      const email = options.serviceAccountEmail;
      return text(options.signIdToken({ audience, email, subject: email }));
    }
    default:
      return { kind: 'none' };
  }
}

function text(body: string): MetadataAnswer {
  return { kind: 'text', body };
}

function metadataHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'metadata-flavor': 'Google',
    server: 'Metadata Server for VM',
    'x-frame-options': 'SAMEORIGIN',
    'x-xss-protection': '0',
  };
}

function htmlError(status: number, detail: string): Response {
  const body =
    '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n' +
    `  <title>Error ${status}</title>\n` +
    `  <p><b>${status}.</b> <ins>That’s an error.</ins>\n` +
    `  <p>${detail} <ins>That’s all we know.</ins>\n`;
  return new Response(body, { status, headers: metadataHeaders('text/html; charset=UTF-8') });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
