import type { Logger } from 'pino';
import type { CallbackClient } from '@gallery/api-client';
import { decodeImageUploaded, type ImageUploaded, type Thumbnail } from '@gallery/message-schema';
import { PermanentError, type RecordHandler, type RecordOutcome } from '@gallery/messaging';
import {
  ObjectNotFoundError,
  originalKey,
  thumbnailKey,
  type ObjectStore,
  type StoredObject,
} from '@gallery/storage';
import { renderThumbnails, type Render, type RenderedImage } from './thumbnails';

export interface RecordHandlerDeps {
  store: ObjectStore;
  callbacks: CallbackClient;
  logger: Logger;
  /** renderThumbnails by default; `limitRenders` bounds how many run at once. */
  render?: Render;
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
  { store, callbacks, logger, render = renderThumbnails }: RecordHandlerDeps,
): Promise<RecordOutcome> {
  const { imageId, eventId, correlationId } = event;
  const original = await readOriginal(store, event);
  if (!original) {
    logger.info('original is gone, the image was deleted: nothing to do');
    return 'skipped';
  }

  let rendered: RenderedImage;
  try {
    rendered = await render(original.body);
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

/** The original's bytes, or null when it no longer exists. */
async function readOriginal(
  store: ObjectStore,
  event: ImageUploaded,
): Promise<StoredObject | null> {
  // Keys are built from ids only: an event pointing elsewhere is never followed.
  if (event.key !== safeOriginalKey(event.imageId)) {
    throw new PermanentError(`event key ${JSON.stringify(event.key)} is not the image's original`);
  }
  try {
    return await store.get(event.key);
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
