import type { Thumbnail } from '@gallery/processors';
import { ObjectNotFoundError, thumbnailKey, type ObjectStore } from '@gallery/storage';
import type { Worker } from '@gallery/worker-runtime';
import { renderThumbnails } from './thumbnails';

/** Runs one original's read and decode; a limiter such as `pLimit(n)` bounds how many at once. */
export type DecodeSlot = <T>(work: () => Promise<T>) => Promise<T>;

export interface ThumbnailWorkerOptions {
  /** No limit by default. A record storing its outputs or calling back has left its slot. */
  decodeSlot?: DecodeSlot;
}

/**
 * Turns one uploaded original into stored thumbnails, reported with the image's size and
 * placeholder. The same keys are overwritten on a redelivery. A corrupt or unsupported original
 * throws an InvalidImageError (permanent); one that is gone gives null.
 */
export function thumbnailWorker({
  decodeSlot = (work) => work(),
}: ThumbnailWorkerOptions = {}): Worker<'thumbnail'> {
  return {
    async work({ event, store, logger }) {
      const rendered = await decodeSlot(async () => {
        const original = await readOriginal(store, event.key);
        return original && renderThumbnails(original);
      });
      if (!rendered) return null;

      const thumbnails = await Promise.all(
        rendered.outputs.map(async ({ width, height, format, data }): Promise<Thumbnail> => {
          const key = thumbnailKey(event.imageId, width, format);
          await store.put(key, data, { contentType: `image/${format}` });
          return { width, height, format, key, size: data.length };
        }),
      );
      logger.info({ keys: thumbnails.map(({ key }) => key) }, 'thumbnails stored');
      const { width, height, placeholder } = rendered;
      return { width, height, placeholder, thumbnails };
    },

    async onGone({ store, logger }, { thumbnails }) {
      await Promise.all(thumbnails.map(({ key }) => store.delete(key)));
      logger.info({ keys: thumbnails.map(({ key }) => key) }, 'thumbnails removed');
    },
  };
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
