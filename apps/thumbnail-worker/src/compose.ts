import path from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { createCallbackClient } from '@gallery/api-client';
import { createLocalWorkerMessaging, type FileQueue } from '@gallery/messaging';
import { createFsObjectStore } from '@gallery/storage';
import type { LocalConfig } from './config';
import { createHandler, type BatchHandler } from './handler';
import { createLogger } from './logger';
import { createRecordHandler } from './process-record';

export interface LocalWorker {
  logger: Logger;
  queue: FileQueue;
  handler: BatchHandler;
}

/**
 * Embedded adapters: objects under DATA_DIR, a file queue, dead letters in its directory.
 * At most `rendersAtOnce` originals are read and decoded at once, however many records are
 * in flight.
 */
export function composeLocal(
  config: LocalConfig,
  { rendersAtOnce }: { rendersAtOnce: number },
): LocalWorker {
  const logger = createLogger(config.logLevel);
  const store = createFsObjectStore({ root: path.join(config.dataDir, 'objects') });
  const { queue, deadLetters, callbackSecret } = createLocalWorkerMessaging(config, 'thumbnail');
  const callbacks = createCallbackClient({ baseUrl: config.apiUrl, secret: callbackSecret });
  const decodeSlot = pLimit(rendersAtOnce);
  const recordHandler = createRecordHandler({ store, callbacks, logger, decodeSlot });
  const handler = createHandler({ recordHandler, deadLetters, logger });
  return { logger, queue, handler };
}
