import { ObjectNotFoundError } from '@gallery/storage';
import type { Worker } from '@gallery/worker-runtime';
import type { Labeler } from './labeler';

/** The tags worker: its labeler, and its work with it. */
export interface TagsWorker<L extends Labeler> extends Worker<'tags'> {
  labeler: L;
}

/**
 * Labels one uploaded original, for its tags. An original deleted before or while it is labelled
 * gives null. A labeler that can never label the image throws a permanent error.
 */
export function tagsWorker<L extends Labeler>(labeler: L): TagsWorker<L> {
  return {
    labeler,
    async work({ event, store, logger }) {
      const original = await store.head(event.key);
      if (!original) return null;
      const { contentType, size } = original;
      try {
        const tags = await labeler.label({
          bucket: event.bucket,
          key: event.key,
          contentType,
          size,
        });
        logger.info({ labeler: labeler.name, tags: tags.length }, 'image labelled');
        return { labeler: labeler.name, tags };
      } catch (error) {
        if (error instanceof ObjectNotFoundError) return null;
        throw error;
      }
    },
  };
}
