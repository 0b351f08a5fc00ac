import pino, { type Logger } from 'pino';

/** Never in a log line: session cookies, credentials, passwords, signatures. */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["gallery-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  'password',
  'req.body.password',
];

/** pino's `redact` option as every API logger uses it. */
export const REDACTION = { paths: REDACTED_PATHS, censor: '[redacted]' };

export function createLogger(level: string): Logger {
  return pino({ level, redact: REDACTION });
}
