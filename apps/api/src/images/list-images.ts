import type { ImagePage } from '@gallery/message-schema';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { decodeCursor, encodeCursor, type ListPosition } from './cursor';
import { selectImageViews, toImageView } from './image-views';

export interface ListImagesQuery {
  limit: number;
  cursor?: string;
  /** Exact tag name, lower case. */
  tag?: string;
}

/** One page, newest first, read as a keyset so that pages stay stable while images arrive. */
export async function listImages(db: Kysely<Database>, query: ListImagesQuery): Promise<ImagePage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  // One row more than asked tells whether another page follows.
  const rows = query.limit + 1;
  let select = selectImageViews(db);
  if (query.tag !== undefined) {
    select = select.where('images.id', 'in', taggedImageIds(db, query.tag, after, rows));
  } else if (after) {
    select = select.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('images.created_at', 'images.id'), '<', tuple(after.createdAt, after.id)),
    );
  }
  const found = await select
    .orderBy('images.created_at', 'desc')
    .orderBy('images.id', 'desc')
    .limit(rows)
    .execute();
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toImageView),
    nextCursor:
      found.length > query.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}

/**
 * The ids of the next `count` images that carry `tag`, in list order: one range of the index
 * on (name, image_created_at, image_id). An image tagged alike by a labeler and by hand has
 * two rows there, side by side: DISTINCT ON keeps one.
 */
function taggedImageIds(
  db: Kysely<Database>,
  tag: string,
  after: ListPosition | undefined,
  count: number,
) {
  let tagged = db
    .selectFrom('image_tags')
    .select('image_tags.image_id')
    .distinctOn(['image_tags.image_created_at', 'image_tags.image_id'])
    .where('image_tags.name', '=', tag);
  if (after) {
    tagged = tagged.where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('image_tags.image_created_at', 'image_tags.image_id'),
        '<',
        tuple(after.createdAt, after.id),
      ),
    );
  }
  return tagged
    .orderBy('image_tags.image_created_at', 'desc')
    .orderBy('image_tags.image_id', 'desc')
    .limit(count);
}
