import pino, { type Logger } from 'pino';
import type { LogLevel } from '@gallery/messaging';

export const createLogger = (level: LogLevel): Logger => pino({ name: 'thumbnail-worker', level });
