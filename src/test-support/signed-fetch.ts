import { signAwsRequest } from '../platforms/aws/aws-sign.js';

/** An InvokeModel call to the emulator signed with its own AWS keys, for tests. */
export async function signedFetch(baseUrl: string, modelId: string, version: string): Promise<Response> {
  const signed = await signAwsRequest(
    {
      method: 'POST',
      url: `${baseUrl}/model/${encodeURIComponent(modelId)}/invoke`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        anthropic_version: version,
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    },
    {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    },
  );
  return fetch(signed.url, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body as string,
  });
}
