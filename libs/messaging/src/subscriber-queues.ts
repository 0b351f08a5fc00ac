import { join } from 'node:path';
import { MessagingError } from './errors';
import { createFileQueue, type FileQueue } from './file-queue';

const QUEUE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The file queues under `queuesDir`, one per subscriber. Names are checked first, so that
 * none can point outside the directory.
 */
export function openSubscriberQueues(
  queuesDir: string,
  queues: string[],
  now?: () => number,
): FileQueue[] {
  const invalid = queues.filter((queue) => !QUEUE_NAME.test(queue));
  if (invalid.length > 0) throw new MessagingError(`invalid queue names: ${invalid.join(', ')}`);
  return queues.map((queue) => createFileQueue({ dir: join(queuesDir, queue), name: queue, now }));
}
