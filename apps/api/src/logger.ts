import pino, { type Logger } from 'pino';

/** Never in a log line: session cookies, credentials, passwords, signatures. */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["gallery-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  'password',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
