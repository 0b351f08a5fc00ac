import { IMAGE_UPLOADED, type ImageView, type Processor } from '@gallery/message-schema';
import type { ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { EventBus } from '../events/bus';
import { enqueueEvent } from '../outbox/enqueue';
import { ImageNotFoundError } from './errors';
import { imageUploadedEvent } from './image-uploaded-event';
import { findImageView } from './image-views';

export interface ReprocessDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'bucket'>;
  bus: EventBus;
  /** Wakes the outbox relay, so the event goes out at once. */
  nudgeOutbox(): void;
}

const STATUS_COLUMNS = {
  thumbnail: 'thumbnail_status',
  tags: 'tags_status',
} as const satisfies Record<Processor, keyof Database['images']>;

const PROCESSORS = Object.keys(STATUS_COLUMNS) as Processor[];

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
  const { reset, view } = await deps.db.transaction().execute(async (trx) => {
    const image = await trx
      .selectFrom('images')
      .select(['id', 'content_type', 'size', 'created_at', 'thumbnail_status', 'tags_status'])
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

    const failed = PROCESSORS.filter((processor) => image[STATUS_COLUMNS[processor]] === 'failed');
    if (failed.length > 0) {
      await trx
        .updateTable('images')
        .set(Object.fromEntries(failed.map((processor) => [STATUS_COLUMNS[processor], 'pending'])))
        .where('id', '=', id)
        .execute();
      await trx
        .deleteFrom('processing_results')
        .where('image_id', '=', id)
        .where('processor', 'in', failed)
        .execute();
    }
    // Read under the image's lock: views of one image go out in the order of their changes.
    return { reset: failed.length > 0, view: await findImageView(trx, id) };
  });
  deps.nudgeOutbox();
  if (!view) throw new ImageNotFoundError(id);
  if (reset) deps.bus.publish({ type: 'image.updated', data: view });
  return view;
}
