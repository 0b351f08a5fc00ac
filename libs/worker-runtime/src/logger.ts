import pino, { type Logger } from 'pino';
import { processorNamed, type ProcessorName } from '@gallery/processors';
import type { LogLevel } from './worker-config';

/** A worker's logger, JSON lines named after its project (`thumbnail-worker`), as on Lambda. */
export const createWorkerLogger = (processor: ProcessorName, level: LogLevel): Logger =>
  pino({ name: processorNamed(processor).project, level });
