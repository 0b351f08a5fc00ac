import type { ImagePage } from '@gallery/message-schema';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { decodeCursor, encodeCursor } from './cursor';
import { toImageViews } from './image-views';

export interface ListImagesQuery {
  limit: number;
  cursor?: string;
  /** Exact tag name, lower case. */
  tag?: string;
}

/** One page, newest first, read as a keyset so that pages stay stable while images arrive. */
export async function listImages(db: Kysely<Database>, query: ListImagesQuery): Promise<ImagePage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  let select = db.selectFrom('images').selectAll('images');
  if (after) {
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('images.created_at', 'images.id'), '<', tuple(after.createdAt, after.id)),
    );
  }
  if (query.tag !== undefined) {
    const tag = query.tag;
    select = select.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('image_tags')
          .select('image_tags.image_id')
          .whereRef('image_tags.image_id', '=', 'images.id')
          .where('image_tags.name', '=', tag),
      ),
    );
  }
  // One row more than asked tells whether another page follows.
  const rows = await select
    .orderBy('images.created_at', 'desc')
    .orderBy('images.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await toImageViews(db, page),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}
