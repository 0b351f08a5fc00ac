import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from 'pino';
import type { CallbackClient, ReportOf } from '@gallery/api-client';
import { decodeImageUploaded, type ImageUploaded } from '@gallery/message-schema';
import { isPermanent, PermanentError, reasonOf, type DeadLetterSink } from '@gallery/messaging';
import type { ProcessorName, ResultOf } from '@gallery/processors';
import { originalKey, type ObjectStore } from '@gallery/storage';
import { processBatch, type RecordHandler } from './batch';
import type { Worker, WorkContext } from './worker';

export interface RecordHandlerDeps<N extends ProcessorName> {
  worker: Worker<N>;
  store: ObjectStore;
  callbacks: CallbackClient<N>;
  logger: Logger;
}

/** The longest reason a callback accepts. */
const MAX_ERROR_LENGTH = 2000;

/**
 * Turns one `image.uploaded` record into the worker's work and a callback. Every effect is
 * idempotent (the work overwrites its own keys, callbacks are upserts), so a redelivery is
 * harmless. `'skipped'`: the image was deleted before or while it was processed.
 */
export function createRecordHandler<N extends ProcessorName>(
  deps: RecordHandlerDeps<N>,
): RecordHandler {
  const { worker, store, callbacks } = deps;
  return async (record) => {
    const event = decodeImageUploaded(record.body);
    checkLocation(event, store.bucket);
    const { imageId, eventId, correlationId } = event;
    const logger = deps.logger.child({
      messageId: record.messageId,
      imageId,
      eventId,
      correlationId,
    });
    const context: WorkContext = { event, store, logger };

    let result: ResultOf<N> | null;
    try {
      result = await worker.work(context);
    } catch (error) {
      if (!isPermanent(error)) {
        logger.error({ err: error }, 'work failed');
        throw error;
      }
      logger.warn({ reason: reasonOf(error) }, 'image cannot be processed');
      // People read this one on the image: the message alone.
      const message = error instanceof Error ? error.message : String(error);
      const failed = { status: 'failed', eventId, error: message.slice(0, MAX_ERROR_LENGTH) };
      // Once reported, the record is dead-lettered; an image deleted meanwhile needs neither.
      if ((await callbacks.put(imageId, failed as ReportOf<N>, correlationId)) === 'gone') {
        return 'skipped';
      }
      throw error;
    }
    if (!result) {
      logger.info('original is gone, the image was deleted: nothing to do');
      return 'skipped';
    }

    const done = { status: 'done', eventId, ...result };
    if ((await callbacks.put(imageId, done as ReportOf<N>, correlationId)) === 'gone') {
      // Deleted while the work ran: what it wrote would be orphaned.
      await worker.onGone?.(context, result);
      logger.info('image was deleted meanwhile, result dropped');
      return 'skipped';
    }
    return 'done';
  };
}

export interface BatchHandlerDeps<N extends ProcessorName> extends RecordHandlerDeps<N> {
  deadLetters: DeadLetterSink;
}

export type BatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * The SQS batch handler, the same in Lambda, in the local runner and in tests: records are
 * handled on their own, a permanent failure is dead-lettered at once, only retryable ones are
 * reported in `batchItemFailures`.
 */
export function createBatchHandler<N extends ProcessorName>(
  deps: BatchHandlerDeps<N>,
): BatchHandler {
  const recordHandler = createRecordHandler(deps);
  const options = { deadLetters: deps.deadLetters, logger: deps.logger };
  return (event) => processBatch(event, recordHandler, options);
}

/** A worker reads only originals of its own bucket, whatever an event says. */
function checkLocation(event: ImageUploaded, bucket: string): void {
  let expected: string;
  try {
    expected = originalKey(event.imageId);
  } catch (cause) {
    throw new PermanentError(`not an image id: ${event.imageId}`, { cause });
  }
  if (event.key !== expected) {
    throw new PermanentError(
      `key ${JSON.stringify(event.key)} is not the original of ${event.imageId}`,
    );
  }
  if (event.bucket !== bucket) {
    throw new PermanentError(
      `bucket ${JSON.stringify(event.bucket)} is not ${JSON.stringify(bucket)}`,
    );
  }
}
