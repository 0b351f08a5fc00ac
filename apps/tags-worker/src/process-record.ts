import type { CallbackClient } from '@gallery/api-client';
import { decodeImageUploaded, type ImageUploaded } from '@gallery/message-schema';
import { isPermanent, PermanentError, reasonOf, type RecordHandler } from '@gallery/messaging';
import { ObjectNotFoundError, originalKey, type ObjectStore } from '@gallery/storage';
import type { Label, Labeler } from './labeler';

export interface WorkerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface RecordHandlerDeps {
  store: ObjectStore;
  labeler: Labeler;
  callbacks: Pick<CallbackClient, 'putTags'>;
  logger: WorkerLogger;
}

/** The callback's `error` field is capped in length. */
const MAX_ERROR_LENGTH = 2000;

/**
 * Tags one uploaded image: labels the original and reports the tags to the API. An original
 * deleted meanwhile is skipped. An image that can never be labelled is reported as failed,
 * then the error is rethrown so that the record goes to the dead-letter queue.
 */
export function createRecordHandler(deps: RecordHandlerDeps): RecordHandler {
  const { store, labeler, callbacks, logger } = deps;

  return async (record) => {
    const event = decodeImageUploaded(record.body);
    checkLocation(event, store.bucket);
    const { imageId, eventId, correlationId } = event;
    const context = { imageId, eventId, correlationId };

    const original = await store.head(event.key);
    if (!original) {
      logger.info(context, 'original is gone, nothing to tag');
      return 'skipped';
    }

    let tags: Label[];
    try {
      const { contentType, size } = original;
      tags = await labeler.label({ bucket: event.bucket, key: event.key, contentType, size });
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        logger.info(context, 'original is gone, nothing to tag');
        return 'skipped';
      }
      if (!isPermanent(error)) throw error;
      logger.warn({ ...context, reason: reasonOf(error) }, 'image cannot be labelled');
      // People read this one on the image: the message, as the thumbnail worker reports it.
      const message = error instanceof Error ? error.message : String(error);
      const failed = {
        status: 'failed',
        eventId,
        error: message.slice(0, MAX_ERROR_LENGTH),
      } as const;
      // Once reported, the record is dead-lettered; an image deleted meanwhile needs neither.
      if ((await callbacks.putTags(imageId, failed, correlationId)) === 'gone') return 'skipped';
      throw error;
    }

    const outcome = await callbacks.putTags(
      imageId,
      { status: 'done', eventId, labeler: labeler.name, tags },
      correlationId,
    );
    if (outcome === 'gone') {
      logger.info(context, 'image was deleted meanwhile, tags dropped');
      return 'skipped';
    }
    logger.info({ ...context, labeler: labeler.name, tags: tags.length }, 'image tagged');
    return 'done';
  };
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
