import { describe, expect, it } from 'vitest';
import { createGoogleTokenRedirectFetch } from './google-token-redirect-fetch.js';

describe('createGoogleTokenRedirectFetch', () => {
  const seen: string[] = [];
  const recordingFetch: typeof fetch = async (input) => {
    seen.push(input instanceof Request ? input.url : input.toString());
    return new Response('{}');
  };
  const redirected = createGoogleTokenRedirectFetch('http://127.0.0.1:4000/', recordingFetch);

  it("sends Google's token endpoint to the emulator and leaves other URLs alone", async () => {
    await redirected(new URL('https://oauth2.googleapis.com/token'), { method: 'POST' });
    await redirected('https://www.googleapis.com/oauth2/v4/token');
    await redirected('https://us-east5-aiplatform.googleapis.com/v1/projects/p');
    expect(seen).toEqual([
      'http://127.0.0.1:4000/token',
      'http://127.0.0.1:4000/token',
      'https://us-east5-aiplatform.googleapis.com/v1/projects/p',
    ]);
  });
});
