import type { ImageView, Processor } from '@gallery/message-schema';
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../db/schema';

type Queryable = Kysely<Database>;

export const thumbnailUrl = (imageId: string, width: number, format: string) =>
  `/api/images/${imageId}/thumbnails/${width}.${format}`;

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
    .selectAll('images')
    .select((eb) => [
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
      jsonArrayFrom(
        eb
          .selectFrom('processing_results')
          .select(['processing_results.processor', 'processing_results.error'])
          .whereRef('processing_results.image_id', '=', 'images.id')
          .where('processing_results.status', '=', 'failed'),
      ).as('failures'),
    ]);
}

export type ImageViewRow = Awaited<
  ReturnType<ReturnType<typeof selectImageViews>['execute']>
>[number];

/** The image JSON of a row read with `selectImageViews`. */
export function toImageView(row: ImageViewRow): ImageView {
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    createdAt: row.created_at.toISOString(),
    status: { thumbnail: row.thumbnail_status, tags: row.tags_status },
    errors: Object.fromEntries(
      row.failures.map((failure) => [failure.processor as Processor, failure.error ?? 'failed']),
    ),
    tags: row.tags.map(({ name, confidence, source }) => ({ name, confidence, source })),
    thumbnails: row.thumbnails.map(({ width, height, format }) => ({
      width,
      height,
      format,
      url: thumbnailUrl(row.id, width, format),
    })),
    placeholder: row.placeholder,
  };
}

/** The image JSON of one image, or null when there is no such image. */
export async function findImageView(db: Queryable, id: string): Promise<ImageView | null> {
  const row = await selectImageViews(db).where('images.id', '=', id).executeTakeFirst();
  return row ? toImageView(row) : null;
}
