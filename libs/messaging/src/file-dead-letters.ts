import { failureView, type DeadLetters } from './dead-letters';
import { openSubscriberQueues } from './subscriber-queues';

export interface FileDeadLettersOptions {
  /** The directory holding one queue directory per subscriber. */
  queuesDir: string;
  queues: string[];
}

/** The dead letters of several file queues, as the file publisher fans out to them. */
export function createFileDeadLetters({ queuesDir, queues }: FileDeadLettersOptions): DeadLetters {
  const fileQueues = openSubscriberQueues(queuesDir, queues);
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
