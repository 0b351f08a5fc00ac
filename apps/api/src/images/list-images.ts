import type { ImagePage } from '@gallery/message-schema';
import type { ProcessorName, ResultOf } from '@gallery/processors';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { decodeCursor, encodeCursor, type ListPosition } from './cursor';
import { selectImageViews, toImageView, type ImageViewRow } from './image-views';

/** Newest upload first, or newest date taken first (images without one after). */
export const LIST_ORDERS = ['uploaded', 'taken'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

export interface ListImagesQuery {
  limit: number;
  cursor?: string;
  /** Exact tag name, lower case. */
  tag?: string;
  /** Album id: only its images. */
  album?: string;
  /**
   * Words the image's name, tags, albums or camera must all have, each as a word or a word's
   * start.
   */
  q?: string;
  order?: ListOrder;
}

/**
 * One page, newest first, read as a keyset so that pages stay stable while images arrive.
 * The page's ids are chosen first, and only its rows get their JSON built: the planner may
 * otherwise build it for every row a sort has to see (thousands, for a search of two common
 * words).
 */
export async function listImages(db: Kysely<Database>, query: ListImagesQuery): Promise<ImagePage> {
  if (query.order === 'taken') return listByDateTaken(db, query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  // One row more than asked tells whether another page follows.
  const rows = query.limit + 1;
  let ids;
  if (query.tag !== undefined && query.album === undefined && searchQuery(query.q) === null) {
    // The tag alone: its next rows straight from its index, wherever they are in the list.
    ids = taggedImageIds(db, query.tag, after, rows);
  } else {
    let select = filtered(db.selectFrom('images').select('images.id'), db, query);
    if (after) {
      select = select.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('images.created_at', 'images.id'), '<', tuple(after.createdAt, after.id)),
      );
    }
    ids = select.orderBy('images.created_at', 'desc').orderBy('images.id', 'desc').limit(rows);
  }
  const found = await selectImageViews(db)
    .where('images.id', 'in', ids)
    .orderBy('images.created_at', 'desc')
    .orderBy('images.id', 'desc')
    .execute();
  return pageOf(found, query.limit, (last) => ({ createdAt: last.created_at, id: last.id }));
}

/**
 * A page of `limit` items from rows read with one more, which tells whether another page
 * follows; its cursor is where the last item stands in the list's order.
 */
function pageOf<Row extends ImageViewRow>(
  found: Row[],
  limit: number,
  positionOf: (last: Row) => ListPosition,
): ImagePage {
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toImageView),
    nextCursor: found.length > limit && last ? encodeCursor(positionOf(last)) : null,
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

/**
 * The words of a search as a text-search query: each run of letters or digits is a word's
 * start (`cat` finds `cats`), all of them required; accents and case are folded in SQL as
 * the images' words were. Null when the search has no word.
 */
export function searchQuery(q: string | undefined): string | null {
  const words = (q ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(' & ');
}

/** The images that have every word of the search, the tag and are in the album asked for. */
function filtered<O>(
  select: SelectQueryBuilder<Database, 'images', O>,
  db: Kysely<Database>,
  { q, tag, album }: ListImagesQuery,
): SelectQueryBuilder<Database, 'images', O> {
  let filtered = select;
  const query = searchQuery(q);
  if (query !== null) {
    filtered = filtered.where(sql<boolean>`images.search @@ search_query(${query})`);
  }
  if (tag !== undefined) {
    filtered = filtered.where('images.id', 'in', (eb) =>
      eb.selectFrom('image_tags').select('image_tags.image_id').where('image_tags.name', '=', tag),
    );
  }
  if (album !== undefined) {
    filtered = filtered.where('images.id', 'in', albumImageIds(db, album));
  }
  return filtered;
}

const albumImageIds = (db: Kysely<Database>, album: string) =>
  db
    .selectFrom('album_images')
    .select('album_images.image_id')
    .where('album_images.album_id', '=', album);

/** The metadata processor's date taken, as text in ISO order; compared byte by byte. */
const TAKEN_AT: keyof ResultOf<'metadata'> = 'takenAt';
const METADATA: ProcessorName = 'metadata';
const takenAt = sql<string | null>`(metadata.result ->> ${sql.lit(TAKEN_AT)}) collate "C"`;

/**
 * One page in order of the date taken (the camera's clock, as the metadata processor read it),
 * newest first, then the images without one (not read yet, or none in the file) newest upload
 * first; ties by upload time and id. A keyset like the upload order's: the cursor holds the
 * last item's date taken too.
 */
async function listByDateTaken(db: Kysely<Database>, query: ListImagesQuery): Promise<ImagePage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = query.limit + 1;
  let ids = withMetadata(filtered(db.selectFrom('images').select('images.id'), db, query));
  if (after) {
    const last = after.takenAt ?? null;
    ids = ids.where((eb) => {
      const uploadedBefore = eb(
        eb.refTuple('images.created_at', 'images.id'),
        '<',
        eb.tuple(after.createdAt, after.id),
      );
      return last === null
        ? eb.and([eb(takenAt, 'is', null), uploadedBefore])
        : eb.or([
            eb(takenAt, '<', last),
            eb.and([eb(takenAt, '=', last), uploadedBefore]),
            eb(takenAt, 'is', null),
          ]);
    });
  }
  const found = await inTakenOrder(
    withMetadata(selectImageViews(db))
      .select(takenAt.as('taken_at'))
      .where('images.id', 'in', inTakenOrder(ids).limit(rows)),
  ).execute();
  return pageOf(found, query.limit, (last) => ({
    createdAt: last.created_at,
    id: last.id,
    takenAt: last.taken_at,
  }));
}

/** Joins each image's metadata result, where its date taken is. */
const withMetadata = <O>(select: SelectQueryBuilder<Database, 'images', O>) =>
  select.leftJoin('processing as metadata', (join) =>
    join.onRef('metadata.image_id', '=', 'images.id').on('metadata.processor', '=', METADATA),
  );

const inTakenOrder = <Q extends ReturnType<typeof withMetadata>>(select: Q): Q =>
  select
    .orderBy(sql`${takenAt} desc nulls last`)
    .orderBy('images.created_at', 'desc')
    .orderBy('images.id', 'desc') as Q;
