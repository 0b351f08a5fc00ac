import { checkWritableDirectory } from '@gallery/storage';
import { join } from 'node:path';
import { MessagingError, PublishError, reasonOf } from './errors';
import { openSubscriberQueues } from './subscriber-queues';
import type { Publisher } from './publisher';

export interface FilePublisherOptions {
  /** The directory holding one queue directory per subscriber. */
  queuesDir: string;
  /** The subscriber queues, as SNS subscriptions would be. */
  queues: string[];
  now?: () => number;
}

/**
 * The publisher port on file queues: each message goes to every subscriber queue, like an
 * SNS topic with raw message delivery. Accepted once every queue holds it; publishing again
 * after a failure may duplicate it in the queues that had taken it, which consumers allow.
 */
export function createFilePublisher({ queuesDir, queues, now }: FilePublisherOptions): Publisher {
  const subscribers = openSubscriberQueues(queuesDir, queues, now);
  return {
    async publish({ type, body }) {
      const failed = rejectedQueues(
        queues,
        await Promise.allSettled(subscribers.map((queue) => queue.send(body, { type }))),
      );
      if (failed.length > 0) {
        const detail = failed.map(({ queue, error }) => `${queue} (${reasonOf(error)})`);
        throw new PublishError(`not accepted by ${detail.join(', ')}`, { cause: failed[0].error });
      }
    },
    async probe() {
      const failed = rejectedQueues(
        queues,
        await Promise.allSettled(
          queues.map((queue) => checkWritableDirectory(join(queuesDir, queue))),
        ),
      );
      if (failed.length > 0) {
        const detail = failed.map(({ queue, error }) => `${queue} (${(error as Error).message})`);
        throw new MessagingError(`cannot queue for ${detail.join(', ')}`, {
          cause: failed[0].error,
        });
      }
    },
  };
}

/** The queues whose operation failed, each with its error. */
function rejectedQueues(queues: string[], results: PromiseSettledResult<unknown>[]) {
  return results.flatMap((result, index) =>
    result.status === 'rejected' ? [{ queue: queues[index], error: result.reason as unknown }] : [],
  );
}
