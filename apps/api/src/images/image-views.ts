import {
  JSON_STORED,
  type ImageView,
  type JsonStored,
  type ProcessingStatus,
} from '@gallery/message-schema';
import { perProcessor } from '@gallery/processors';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../db/schema';

type Queryable = Kysely<Database>;

export const thumbnailUrl = (imageId: string, width: number, format: string) =>
  `/api/images/${imageId}/thumbnails/${width}.${format}`;

const jsonStoredResult =
  JSON_STORED.length === 0
    ? sql<unknown>`null`
    : sql<unknown>`case when processing.processor in (${sql.join(JSON_STORED)}) then processing.result end`;

/**
 * Images with all their image JSON needs, in one query: tags, thumbnails and failure reasons
 * come as JSON arrays from subqueries on each image's id. Such a subquery always reads the
 * image's rows by index, whatever the planner knows of the tables; a separate query for a
 * whole page (`image_id in (…50 ids)`) is planned from statistics, and PGlite, which runs no
 * autovacuum, never has any: it scanned every tag of every image.
 */
export function selectImageViews(db: Queryable) {
  return db
    .selectFrom('images')
    .select([
      'images.id',
      'images.name',
      'images.content_type',
      'images.size',
      'images.width',
      'images.height',
      'images.placeholder',
      'images.created_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('users')
        .select(
          sql<{
            id: string;
            username: string;
          }>`json_build_object('id', users.id, 'username', users.username)`.as('who'),
        )
        .whereRef('users.id', '=', 'images.owner_id')
        .as('added_by'),
      sql<
        string[]
      >`array(select album_id from album_images where image_id = images.id order by album_id)`.as(
        'albums',
      ),
      jsonArrayFrom(
        eb
          .selectFrom('image_tags')
          .select(['image_tags.name', 'image_tags.confidence', 'image_tags.source'])
          .whereRef('image_tags.image_id', '=', 'images.id')
          .orderBy('image_tags.confidence', (order) => order.desc().nullsFirst())
          .orderBy('image_tags.name'),
      ).as('tags'),
      jsonArrayFrom(
        eb
          .selectFrom('thumbnails')
          .select(['thumbnails.width', 'thumbnails.height', 'thumbnails.format'])
          .whereRef('thumbnails.image_id', '=', 'images.id')
          .orderBy('thumbnails.width')
          .orderBy('thumbnails.format'),
      ).as('thumbnails'),
      // Results of processors stored as JSON only: the others' are in their own tables.
      jsonArrayFrom(
        eb
          .selectFrom('processing')
          .select(['processing.processor', 'processing.status', 'processing.error'])
          .select(jsonStoredResult.as('result'))
          .whereRef('processing.image_id', '=', 'images.id'),
      ).as('processing'),
    ]);
}

export type ImageViewRow = Awaited<
  ReturnType<ReturnType<typeof selectImageViews>['execute']>
>[number];

/** The image JSON of a row read with `selectImageViews`. */
export function toImageView(row: ImageViewRow): ImageView {
  const reported = new Map(row.processing.map((report) => [report.processor, report]));
  const failures = row.processing.filter((report) => report.status === 'failed');
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    createdAt: row.created_at.toISOString(),
    // No row yet: the processor has not reported.
    status: perProcessor((name): ProcessingStatus => reported.get(name)?.status ?? 'pending'),
    errors: Object.fromEntries(
      failures.map((failure) => [failure.processor, failure.error ?? 'failed']),
    ),
    tags: row.tags.map(({ name, confidence, source }) => ({ name, confidence, source })),
    thumbnails: row.thumbnails.map(({ width, height, format }) => ({
      width,
      height,
      format,
      url: thumbnailUrl(row.id, width, format),
    })),
    placeholder: row.placeholder,
    addedBy: row.added_by,
    albums: row.albums,
    // Each as the processor reported it, which its callback's schema checked.
    ...(Object.fromEntries(
      JSON_STORED.map((name) => [name, reported.get(name)?.result ?? null]),
    ) as Pick<ImageView, JsonStored>),
  };
}

/** The image JSON of one image, or null when there is no such image. */
export async function findImageView(db: Queryable, id: string): Promise<ImageView | null> {
  const row = await selectImageViews(db).where('images.id', '=', id).executeTakeFirst();
  return row ? toImageView(row) : null;
}
