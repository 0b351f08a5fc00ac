import { originalKey, thumbnailPrefix, type ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import { albumsChanged, albumsOfImage } from '../albums/albums';
import { mustBeAllowed } from '../auth/ownership';
import type { SessionUser } from '../auth/sessions';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { ImageNotFoundError } from './errors';

export interface DeleteDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  logger: { warn(object: object, message: string): void };
}

/**
 * Deletes the row first (tags, thumbnails and results go with it), then the objects: once
 * the row is gone the image is gone, and a late callback for it gets 410. Objects left
 * behind by a failing store are logged, not reported to the client.
 */
export async function deleteImage(deps: DeleteDeps, actor: SessionUser, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const albums = await albumsOfImage(trx, id);
    const deleted = await trx
      .deleteFrom('images')
      .where('id', '=', id)
      .returning('owner_id')
      .executeTakeFirst();
    if (!deleted) throw new ImageNotFoundError(id);
    // Undone by the rollback when refused.
    mustBeAllowed(actor, deleted.owner_id, 'image');
    await appendChange(trx, { type: 'image.deleted', data: { id } });
    await albumsChanged(trx, albums);
  });
  await deleteImageObjects(deps.store, id).catch((error: unknown) => {
    deps.logger.warn({ err: error, imageId: id }, 'could not delete the objects of an image');
  });
}

/** The original and every thumbnail; also clears thumbnails a late worker wrote. */
export async function deleteImageObjects(store: ObjectStore, id: string): Promise<void> {
  await store.delete(originalKey(id));
  const thumbnails: string[] = [];
  for await (const key of store.list(thumbnailPrefix(id))) thumbnails.push(key);
  await Promise.all(thumbnails.map((key) => store.delete(key)));
}
