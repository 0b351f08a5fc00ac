import { IMAGE_UPLOADED, type ImageView } from '@gallery/message-schema';
import type { ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { enqueueEvent } from '../outbox/enqueue';
import { ImageNotFoundError } from './errors';
import { imageUploadedEvent } from './image-uploaded-event';
import { findImageView } from './image-views';

export interface ReprocessDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'bucket'>;
  /** Wakes the outbox relay, so the event goes out at once. */
  nudgeOutbox(): void;
}

/**
 * Publishes `image.uploaded` again for an image, as a new event, so that every processor runs
 * on it once more. A failed processor goes back to pending, its result and reason forgotten,
 * so that its next report counts even when it fails again the same way. A done one stays done
 * until its next report replaces it, and the image does not flicker back to pending.
 */
export async function reprocessImage(
  deps: ReprocessDeps,
  id: string,
  correlationId: string,
): Promise<ImageView> {
  const view = await deps.db.transaction().execute(async (trx) => {
    const image = await trx
      .selectFrom('images')
      .select(['id', 'content_type', 'size', 'created_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!image) throw new ImageNotFoundError(id);
    const event = imageUploadedEvent(
      deps.store.bucket,
      {
        imageId: id,
        contentType: image.content_type,
        size: Number(image.size),
        uploadedAt: image.created_at,
      },
      correlationId,
    );
    await enqueueEvent(trx, { type: IMAGE_UPLOADED, payload: event });

    // With its row gone, a processor is pending again.
    const forgotten = await trx
      .deleteFrom('processing')
      .where('image_id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    const current = await findImageView(trx, id);
    if (current && forgotten.numDeletedRows > 0n) {
      await appendChange(trx, { type: 'image.updated', data: current });
    }
    return current;
  });
  deps.nudgeOutbox();
  if (!view) throw new ImageNotFoundError(id);
  return view;
}
