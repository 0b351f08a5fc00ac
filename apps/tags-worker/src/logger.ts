import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

export const createLogger = (level: LogLevel): Logger => pino({ name: 'tags-worker', level });
