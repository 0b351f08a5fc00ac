import { join } from 'node:path';
import { failureView, type DeadLetters } from './dead-letters';
import { MessagingError } from './errors';
import { createFileQueue } from './file-queue';

export interface FileDeadLettersOptions {
  /** The directory holding one queue directory per subscriber. */
  queuesDir: string;
  queues: string[];
}

const QUEUE_NAME = /^[A-Za-z0-9_-]+$/;

/** The dead letters of several file queues, as the file publisher fans out to them. */
export function createFileDeadLetters({ queuesDir, queues }: FileDeadLettersOptions): DeadLetters {
  const invalid = queues.filter((queue) => !QUEUE_NAME.test(queue));
  if (invalid.length > 0) throw new MessagingError(`invalid queue names: ${invalid.join(', ')}`);
  const fileQueues = queues.map((queue) =>
    createFileQueue({ dir: join(queuesDir, queue), name: queue }),
  );
  return {
    async list() {
      const deadLetters = (
        await Promise.all(fileQueues.map((queue) => queue.listDeadLetters()))
      ).flat();
      return deadLetters.sort((a, b) => b.deadLetteredAt - a.deadLetteredAt).map(failureView);
    },
    async redrive() {
      const moved = await Promise.all(fileQueues.map((queue) => queue.redrive()));
      return moved.reduce((sum, count) => sum + count, 0);
    },
  };
}
