// The container's HEALTHCHECK: exits 0 when the gateway in this container answers GET /healthz with 200.
// It tries http:// and then https:// (server.tls set), so one image serves both; the container talks to
// itself over loopback, so the certificate is not checked. HEALTHCHECK_URL replaces the address.
import http from 'node:http';
import https from 'node:https';

const port = process.env.HEALTHCHECK_PORT ?? '4000';
const urls = process.env.HEALTHCHECK_URL
  ? [process.env.HEALTHCHECK_URL]
  : [`http://127.0.0.1:${port}/healthz`, `https://127.0.0.1:${port}/healthz`];

function check(url) {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { rejectUnauthorized: false, timeout: 4_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => resolve(false));
  });
}

for (const url of urls) {
  if (await check(url)) process.exit(0);
}
console.error(`unhealthy: no 200 from ${urls.join(' or ')}`);
process.exit(1);
