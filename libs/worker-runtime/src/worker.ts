import type { Logger } from 'pino';
import type { ImageUploaded } from '@gallery/message-schema';
import type { ProcessorName, ResultOf } from '@gallery/processors';
import type { ObjectStore } from '@gallery/storage';

/*
 * The contract a worker sees: its work on one uploaded image, nothing of queues, callbacks or
 * configuration. The runtime decodes and checks each record, calls the work, reports its result
 * to the API and settles the record.
 */

/** What the work gets for one record. */
export interface WorkContext {
  /** The decoded `image.uploaded` event; its key is the image's original, in `store`'s bucket. */
  event: ImageUploaded;
  store: ObjectStore;
  /** Carries the record's messageId and the event's imageId, eventId and correlationId. */
  logger: Logger;
}

/**
 * A processor's work on one image: its result, or null when the original is gone (the image
 * was deleted), which skips the record. A permanent error (`isPermanent`: a PermanentError, an
 * InvalidImageError) says the image can never be processed: it is reported as failed, then
 * dead-lettered. Any other error is retried.
 */
export type Work<N extends ProcessorName> = (context: WorkContext) => Promise<ResultOf<N> | null>;

export interface Worker<N extends ProcessorName> {
  work: Work<N>;
  /**
   * Called when the API answers that the image was deleted while the work ran: undoes what the
   * work wrote (thumbnails it stored), which nothing would ever read or remove.
   */
  onGone?: (context: WorkContext, result: ResultOf<N>) => Promise<void>;
}

/** What a worker is composed with: its own variables, checked, and the runtime's adapters. */
export interface WorkerRuntime<E> {
  /** The values of the variables the worker declared, parsed by its schema. */
  env: E;
  /** S3 in Lambda, a directory locally. */
  store: ObjectStore;
  /** The worker's logger, named after its project. */
  logger: Logger;
}
