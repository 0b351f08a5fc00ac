import type { Worker } from '@gallery/worker-runtime';

/**
 * The metadata processor's work on one uploaded image. The runtime has decoded and checked the
 * event (its key is the image's original, in this store's bucket); the work reads what it needs
 * of the original and returns its result, which the runtime reports to the API. Its shape is
 * the processor's result schema in libs/processors/src/results.ts.
 *
 * - Return null when the original is gone: the image was deleted, the record is skipped.
 * - Throw a PermanentError (@gallery/messaging) for an image that can never be processed: it is
 *   shown as failed with the message, and the record is dead-lettered with it.
 * - Any other error is retried, then dead-lettered after the queue's receive count.
 * - Keep every effect idempotent: a record may come twice.
 */
export function metadataWorker(): Worker<'metadata'> {
  return {
    async work({ event, store, logger }) {
      const original = await store.head(event.key);
      if (!original) return null;
      // The work: read the original (store.read, or store.get with a byte range) and find the
      // fields of the result.
      logger.info({ size: original.size, contentType: original.contentType }, 'metadata done');
      return {};
    },
  };
}
