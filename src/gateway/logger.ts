import { pino } from 'pino';

/** The paths pino removes from every log line: credentials never reach a log. */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-amz-security-token"]',
  '*.apiKey',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.accessToken',
  '*.authToken',
  '*.adminKey',
  '*.private_key',
  '*.entraToken',
];

export type Logger = pino.Logger;

/** The gateway's logger: JSON lines on stderr, secrets redacted. */
export function createLogger(level: string = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'claude-gateway' } },
    pino.destination(2),
  );
}
