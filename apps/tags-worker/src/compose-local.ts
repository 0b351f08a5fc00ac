import path from 'node:path';
import type { Logger } from 'pino';
import { createCallbackClient } from '@gallery/api-client';
import { createLocalWorkerMessaging, type FileQueue } from '@gallery/messaging';
import { createFsObjectStore } from '@gallery/storage';
import type { LocalConfig } from './config';
import { createHandler, type BatchHandler } from './handler';
import { createLocalLabeler, type LocalLabeler } from './local-labeler';
import { createLogger } from './logger';
import { createRecordHandler } from './process-record';

export interface LocalWorker {
  logger: Logger;
  queue: FileQueue;
  labeler: LocalLabeler;
  handler: BatchHandler;
}

/** Embedded adapters: objects under DATA_DIR, offline labels, a file queue and its dead letters. */
export function composeLocal(config: LocalConfig): LocalWorker {
  const logger = createLogger(config.logLevel);
  const store = createFsObjectStore({ root: path.join(config.dataDir, 'objects') });
  const labeler = createLocalLabeler({ store, minConfidence: config.labelMinConfidence });
  const { queue, deadLetters, callbackSecret } = createLocalWorkerMessaging(config, 'tags');
  const callbacks = createCallbackClient({ baseUrl: config.apiUrl, secret: callbackSecret });
  const recordHandler = createRecordHandler({ store, labeler, callbacks, logger });
  const handler = createHandler({ recordHandler, deadLetters, logger });
  return { logger, queue, labeler, handler };
}
