import pino from 'pino';
import { REDACTION } from '../../src/logger';

export interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  [field: string]: unknown;
}

/**
 * A real pino logger, redacting as the API's does, that keeps every line it writes, parsed,
 * for a test to read.
 */
export function createRecordingLogger(level = 'info') {
  const lines: LogLine[] = [];
  const logger = pino(
    { level, redact: REDACTION },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}
