import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isGoogleTokenEndpoint } from './google-token-redirect.js';

/** The fields of a Google credentials file this package reads; everything else is google-auth-library's business. */
export const googleCredentialsJsonSchema = z.object({
  type: z.string().nullish(),
  project_id: z.string().nullish(),
  quota_project_id: z.string().nullish(),
  token_uri: z.string().nullish(),
  client_email: z.string().nullish(),
});

export type GoogleCredentialsFields = z.infer<typeof googleCredentialsJsonSchema>;

/**
 * A credentials file's `token_uri` when it names a token endpoint other than
 * Google's own (the emulator's, a test stub's), else undefined. Accepts the
 * parsed JSON or the path of the file; a file that cannot be read or parsed
 * gives undefined (google-auth-library reports that error when it loads it).
 *
 * @example
 * await customTokenUri({ type: 'service_account', token_uri: 'http://127.0.0.1:4000/token' }); // 'http://127.0.0.1:4000/token'
 * await customTokenUri({ token_uri: 'https://oauth2.googleapis.com/token' }); // undefined
 */
export async function customTokenUri(source: unknown): Promise<string | undefined> {
  const json = typeof source === 'string' ? await readJsonFile(source) : source;
  const parsed = googleCredentialsJsonSchema.safeParse(json);
  const tokenUri = parsed.success ? parsed.data.token_uri : undefined;
  if (!tokenUri || isGoogleTokenEndpoint(tokenUri)) return undefined;
  return tokenUri;
}

async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
