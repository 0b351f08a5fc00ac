import {
  createFileDeadLetterSink,
  createFileQueue,
  loadOrCreateLocalSecret,
  type DeadLetterSink,
  type FileQueue,
} from '@gallery/messaging';
import type { ProcessorName } from '@gallery/processors';
import type { LocalWorkerConfig } from './worker-config';

export interface LocalWorkerMessaging {
  queue: FileQueue;
  /** Dead letters kept in the queue's own directory. */
  deadLetters: DeadLetterSink;
  /** CALLBACK_SECRET, or else the processor's secret file under DATA_DIR, shared with the API. */
  callbackSecret: string;
}

/** A local worker's embedded messaging, as its configuration describes it. */
export function createLocalWorkerMessaging(
  config: LocalWorkerConfig,
  processor: ProcessorName,
): LocalWorkerMessaging {
  const queue = createFileQueue({
    dir: config.queueDir,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    maxReceiveCount: config.maxReceiveCount,
  });
  return {
    queue,
    deadLetters: createFileDeadLetterSink(queue),
    callbackSecret: config.callbackSecret ?? loadOrCreateLocalSecret(config.dataDir, processor),
  };
}
