import type { AlbumView } from '@gallery/message-schema';
import { sql, type Kysely, type Transaction } from 'kysely';
import { mustBeAllowed } from '../auth/ownership';
import type { SessionUser } from '../auth/sessions';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { BadRequestError, NotFoundError } from '../http/request-errors';
import { selectImageViews, thumbnailUrl, toImageView } from '../images/image-views';

type Queryable = Kysely<Database> | Transaction<Database>;

/** Albums with their owner, their count and their cover (the chosen one, else the newest). */
function selectAlbumViews(db: Queryable) {
  return db
    .selectFrom('albums')
    .innerJoin('users', 'users.id', 'albums.owner_id')
    .select([
      'albums.id',
      'albums.name',
      'albums.description',
      'albums.cover_image_id',
      'albums.created_at',
      'albums.updated_at',
      'users.id as owner_id',
      'users.username as owner_name',
    ])
    .select((eb) => [
      eb
        .selectFrom('album_images')
        .select(sql<string>`count(*)`.as('count'))
        .whereRef('album_images.album_id', '=', 'albums.id')
        .as('image_count'),
      sql<string | null>`coalesce(albums.cover_image_id, (
        select images.id from album_images join images on images.id = album_images.image_id
        where album_images.album_id = albums.id
        order by images.created_at desc, images.id desc limit 1))`.as('cover_id'),
    ]);
}

type AlbumRow = Awaited<ReturnType<ReturnType<typeof selectAlbumViews>['execute']>>[number];

async function toAlbumViews(db: Queryable, rows: AlbumRow[]): Promise<AlbumView[]> {
  const covers = rows.flatMap((row) => (row.cover_id ? [row.cover_id] : []));
  const thumbnails =
    covers.length === 0
      ? []
      : await db
          .selectFrom('thumbnails')
          .select(['image_id', 'width', 'format'])
          .where('image_id', 'in', covers)
          .orderBy('width')
          .execute();
  return rows.map((row) => {
    const smallest = thumbnails.find((thumbnail) => thumbnail.image_id === row.cover_id);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      addedBy: { id: row.owner_id, username: row.owner_name },
      imageCount: Number(row.image_count ?? 0),
      cover: row.cover_id
        ? {
            imageId: row.cover_id,
            thumbnailUrl: smallest
              ? thumbnailUrl(row.cover_id, smallest.width, smallest.format)
              : null,
          }
        : null,
      coverChosen: row.cover_image_id !== null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  });
}

/** Every album, by name (albums are few: a side list shows them all). */
export async function listAlbums(db: Kysely<Database>): Promise<AlbumView[]> {
  const rows = await selectAlbumViews(db)
    .orderBy(sql`lower(albums.name)`)
    .orderBy('albums.id')
    .execute();
  return toAlbumViews(db, rows);
}

export async function findAlbumView(db: Queryable, id: string): Promise<AlbumView | null> {
  const row = await selectAlbumViews(db).where('albums.id', '=', id).executeTakeFirst();
  return row ? (await toAlbumViews(db, [row]))[0] : null;
}

/** An album the transaction is changing: it cannot be missing. */
async function albumInTransaction(trx: Transaction<Database>, id: string): Promise<AlbumView> {
  const view = await findAlbumView(trx, id);
  if (!view) throw new Error(`album ${id} vanished inside its own transaction`);
  return view;
}

/** The album as it now is, appended to the feed as its change; returned too. */
async function albumChanged(
  trx: Transaction<Database>,
  id: string,
  type: 'album.created' | 'album.updated' = 'album.updated',
): Promise<AlbumView> {
  const view = await albumInTransaction(trx, id);
  await appendChange(trx, { type, data: view });
  return view;
}

/** Each image's new JSON (its album ids changed), read in one query, as a change of its own. */
async function imagesChanged(trx: Transaction<Database>, imageIds: readonly string[]) {
  if (imageIds.length === 0) return;
  const rows = await selectImageViews(trx).where('images.id', 'in', imageIds).execute();
  for (const row of rows)
    await appendChange(trx, { type: 'image.updated', data: toImageView(row) });
}

/** The album, locked for the change, after checking the actor may change it. */
async function albumToChange(trx: Transaction<Database>, actor: SessionUser, id: string) {
  const album = await trx
    .selectFrom('albums')
    .select(['id', 'owner_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!album) throw new NotFoundError(`no album ${id}`);
  mustBeAllowed(actor, album.owner_id, 'album');
  return album;
}

export async function createAlbum(
  db: Kysely<Database>,
  actor: SessionUser,
  album: { name: string; description?: string },
): Promise<AlbumView> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('albums')
      .values({ name: album.name, description: album.description, owner_id: actor.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    return albumChanged(trx, id, 'album.created');
  });
}

/** Renames, describes, or chooses its cover (an image in it) or clears it (null). */
export async function changeAlbum(
  db: Kysely<Database>,
  actor: SessionUser,
  id: string,
  change: { name?: string; description?: string; coverImageId?: string | null },
): Promise<AlbumView> {
  if (Object.values(change).every((value) => value === undefined)) {
    throw new BadRequestError('nothing to change');
  }
  return db.transaction().execute(async (trx) => {
    await albumToChange(trx, actor, id);
    if (change.coverImageId) {
      const inAlbum = await trx
        .selectFrom('album_images')
        .select('image_id')
        .where('album_id', '=', id)
        .where('image_id', '=', change.coverImageId)
        .executeTakeFirst();
      if (!inAlbum) throw new BadRequestError('the cover must be an image of the album');
    }
    await trx
      .updateTable('albums')
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.description !== undefined && { description: change.description }),
        ...(change.coverImageId !== undefined && { cover_image_id: change.coverImageId }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    return albumChanged(trx, id);
  });
}

/** Deletes an album; its images stay, each with one album fewer. */
export async function deleteAlbum(
  db: Kysely<Database>,
  actor: SessionUser,
  id: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await albumToChange(trx, actor, id);
    const members = await trx
      .selectFrom('album_images')
      .select('image_id')
      .where('album_id', '=', id)
      .execute();
    await trx.deleteFrom('albums').where('id', '=', id).execute();
    await appendChange(trx, { type: 'album.deleted', data: { id } });
    await imagesChanged(
      trx,
      members.map((member) => member.image_id),
    );
  });
}

/**
 * Adds images to an album, or removes them: all of them or none (400 naming an unknown image,
 * nothing changed). Images already in it (or not in it, to remove) are left as they are.
 */
export async function changeAlbumImages(
  db: Kysely<Database>,
  actor: SessionUser,
  id: string,
  action: 'add' | 'remove',
  imageIds: readonly string[],
): Promise<AlbumView> {
  const unique = [...new Set(imageIds)];
  return db.transaction().execute(async (trx) => {
    await albumToChange(trx, actor, id);
    let changed: string[];
    if (action === 'add') {
      const known = await trx.selectFrom('images').select('id').where('id', 'in', unique).execute();
      const missing = unique.filter((image) => !known.some((row) => row.id === image));
      if (missing.length > 0) throw new BadRequestError(`no image ${missing.join(', ')}`);
      const added = await trx
        .insertInto('album_images')
        .values(unique.map((image_id) => ({ album_id: id, image_id })))
        .onConflict((conflict) => conflict.doNothing())
        .returning('image_id')
        .execute();
      changed = added.map((row) => row.image_id);
    } else {
      const removed = await trx
        .deleteFrom('album_images')
        .where('album_id', '=', id)
        .where('image_id', 'in', unique)
        .returning('image_id')
        .execute();
      changed = removed.map((row) => row.image_id);
      // A chosen cover that left the album is chosen no more.
      await trx
        .updateTable('albums')
        .set({ cover_image_id: null })
        .where('id', '=', id)
        .where('cover_image_id', 'in', unique)
        .execute();
    }
    if (changed.length > 0) {
      await trx
        .updateTable('albums')
        .set({ updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    }
    await imagesChanged(trx, changed);
    return changed.length > 0 ? albumChanged(trx, id) : albumInTransaction(trx, id);
  });
}

/** The albums an image is in, as they are once it has gone: for its deletion's changes. */
export async function albumsOfImage(
  trx: Transaction<Database>,
  imageId: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('album_images')
    .select('album_id')
    .where('image_id', '=', imageId)
    .execute();
  return rows.map((row) => row.album_id);
}

/** After an image left albums by its deletion: each album's new count and cover. */
export async function albumsChanged(trx: Transaction<Database>, albumIds: readonly string[]) {
  for (const id of albumIds) await albumChanged(trx, id);
}
