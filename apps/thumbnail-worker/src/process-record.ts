import type { Logger } from 'pino';
import type { CallbackClient } from '@gallery/api-client';
import { decodeImageUploaded, type ImageUploaded, type Thumbnail } from '@gallery/message-schema';
import { PermanentError, type RecordHandler, type RecordOutcome } from '@gallery/messaging';
import { ObjectNotFoundError, originalKey, thumbnailKey, type ObjectStore } from '@gallery/storage';
import { renderThumbnails, type RenderedImage } from './thumbnails';

/** Runs one original's read and decode; a limiter such as `pLimit(n)` bounds how many at once. */
export type DecodeSlot = <T>(work: () => Promise<T>) => Promise<T>;

export interface RecordHandlerDeps {
  store: ObjectStore;
  callbacks: CallbackClient;
  logger: Logger;
  /** No limit by default. A record storing its outputs or calling back has left its slot. */
  decodeSlot?: DecodeSlot;
}

/** The longest reason the thumbnails callback accepts. */
const MAX_ERROR_LENGTH = 2000;

/**
 * Turns one `image.uploaded` record into stored thumbnails and a callback. Every effect is
 * idempotent (same keys overwritten, callbacks are upserts), so a redelivery is harmless.
 * `'skipped'`: the image was deleted before or while it was processed.
 */
export function createRecordHandler(deps: RecordHandlerDeps): RecordHandler {
  return async (record) => {
    const event = decodeImageUploaded(record.body);
    const { imageId, eventId, correlationId } = event;
    const log = deps.logger.child({ messageId: record.messageId, imageId, correlationId, eventId });
    try {
      return await makeThumbnails(event, { ...deps, logger: log });
    } catch (error) {
      log.error({ err: error }, 'thumbnails failed');
      throw error;
    }
  };
}

async function makeThumbnails(
  event: ImageUploaded,
  { store, callbacks, logger, decodeSlot = (work) => work() }: RecordHandlerDeps,
): Promise<RecordOutcome> {
  const { imageId, eventId, correlationId } = event;
  checkOriginalKey(event);

  let rendered: RenderedImage | null;
  try {
    rendered = await decodeSlot(async () => {
      const original = await readOriginal(store, event.key);
      return original && renderThumbnails(original);
    });
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    // The image shows as failed with the reason; the record still goes to the DLQ.
    const outcome = await callbacks.putThumbnails(
      imageId,
      { status: 'failed', eventId, error: error.message.slice(0, MAX_ERROR_LENGTH) },
      correlationId,
    );
    // Deleted meanwhile: nobody is left to care, not even the DLQ.
    if (outcome === 'gone') return 'skipped';
    throw error;
  }
  if (!rendered) {
    logger.info('original is gone, the image was deleted: nothing to do');
    return 'skipped';
  }

  const thumbnails = await Promise.all(
    rendered.outputs.map(async ({ width, height, format, data }): Promise<Thumbnail> => {
      const key = thumbnailKey(imageId, width, format);
      await store.put(key, data, { contentType: `image/${format}` });
      return { width, height, format, key, size: data.length };
    }),
  );

  const outcome = await callbacks.putThumbnails(
    imageId,
    {
      status: 'done',
      eventId,
      width: rendered.width,
      height: rendered.height,
      placeholder: rendered.placeholder,
      thumbnails,
    },
    correlationId,
  );
  if (outcome === 'gone') {
    // The image was deleted while we worked: what we just wrote would be orphaned.
    await Promise.all(thumbnails.map(({ key }) => store.delete(key)));
    logger.info('image deleted meanwhile: thumbnails removed');
    return 'skipped';
  }
  logger.info({ keys: thumbnails.map(({ key }) => key) }, 'thumbnails stored');
  return 'done';
}

/** Keys are built from ids only: an event pointing elsewhere is never followed. */
function checkOriginalKey(event: ImageUploaded): void {
  if (event.key !== safeOriginalKey(event.imageId)) {
    throw new PermanentError(`event key ${JSON.stringify(event.key)} is not the image's original`);
  }
}

/** The original's bytes, or null when it no longer exists. A read failure stays retryable. */
async function readOriginal(store: ObjectStore, key: string): Promise<Buffer | null> {
  try {
    return await store.read(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
}

function safeOriginalKey(imageId: string): string | null {
  try {
    return originalKey(imageId);
  } catch {
    return null;
  }
}
