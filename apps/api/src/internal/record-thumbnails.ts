import type { ThumbnailsCallback } from '@gallery/message-schema';
import { thumbnailKey, type ObjectStore } from '@gallery/storage';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { deleteImageObjects } from '../images/delete-image';
import { ImageNotFoundError } from '../images/errors';
import { InvalidCallbackError } from './errors';
import {
  recordInTransaction,
  recordProcessingResult,
  type Recorded,
  type RecordOutcome,
} from './processing-result';

/**
 * Stores the thumbnail worker's report: on success the dimensions, the placeholder and the
 * thumbnails (replacing any earlier ones), on failure the status. Idempotent. For an image
 * deleted meanwhile, the thumbnails the worker has just written are deleted too.
 */
export async function recordThumbnails(
  deps: { db: Kysely<Database>; store: ObjectStore },
  imageId: string,
  report: ThumbnailsCallback,
): Promise<Recorded> {
  if (report.status === 'done') checkThumbnails(imageId, report.thumbnails);
  try {
    return await recordInTransaction(deps.db, imageId, (trx) =>
      saveThumbnails(trx, imageId, report),
    );
  } catch (error) {
    if (error instanceof ImageNotFoundError) await deleteImageObjects(deps.store, imageId);
    throw error;
  }
}

async function saveThumbnails(
  trx: Transaction<Database>,
  imageId: string,
  report: ThumbnailsCallback,
): Promise<RecordOutcome> {
  const outcome = await recordProcessingResult(trx, imageId, 'thumbnail', report);
  if (outcome === 'unchanged' || report.status === 'failed') return outcome;
  await trx
    .updateTable('images')
    .set({
      width: report.width,
      height: report.height,
      placeholder: report.placeholder,
    })
    .where('id', '=', imageId)
    .execute();
  await trx.deleteFrom('thumbnails').where('image_id', '=', imageId).execute();
  await trx
    .insertInto('thumbnails')
    .values(
      report.thumbnails.map(({ width, height, format, key, size }) => ({
        image_id: imageId,
        width,
        height,
        format,
        key,
        size,
      })),
    )
    .execute();
  return outcome;
}

/** Each key must be where the key layout puts that thumbnail, and each size appear once. */
function checkThumbnails(
  imageId: string,
  thumbnails: Extract<ThumbnailsCallback, { status: 'done' }>['thumbnails'],
): void {
  const seen = new Set<string>();
  for (const { width, format, key } of thumbnails) {
    const expected = thumbnailKey(imageId, width, format);
    if (key !== expected) {
      throw new InvalidCallbackError(`thumbnail key ${key} should be ${expected}`);
    }
    if (seen.has(key)) throw new InvalidCallbackError(`thumbnail ${key} is listed twice`);
    seen.add(key);
  }
}
