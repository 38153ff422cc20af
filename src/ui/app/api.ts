/** The dashboard's calls to the gateway: its sign-in under /ui/api and the admin API under /admin. */

export type SignInMethod =
  | { kind: 'admin-key' }
  | { kind: 'redirect'; id: string; label: string; url: string };

export interface SessionState {
  signedIn: boolean;
  subject?: string;
  via?: string;
  expiresAt?: string;
  csrfToken?: string;
  methods: SignInMethod[];
}

/** An answer that was not a success, with the gateway's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** Remembers the CSRF token of the current sign-in (in memory only) and what to do when it ends. */
export function rememberSignIn(state: SessionState, signedOut: () => void): void {
  csrfToken = state.csrfToken;
  onSignedOut = signedOut;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const message =
      (json as { error?: { message?: string } } | undefined)?.error?.message ??
      `${method} ${path} answered ${response.status}`;
    // The sign-in ended (expired, or the admin key changed): back to the sign-in page.
    if (response.status === 401 && path.startsWith('/admin')) onSignedOut?.();
    throw new ApiError(response.status, message);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path),
};

export const session = {
  state: () => call<SessionState>('GET', '/ui/api/session'),
  login: (adminKey: string) => call<SessionState>('POST', '/ui/api/login', { adminKey }),
  logout: () => call<SessionState>('POST', '/ui/api/logout', {}),
};

/** A query string from the filled-in fields only. */
export function query(fields: Record<string, string | number | boolean | undefined>): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '' && value !== false) parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}
