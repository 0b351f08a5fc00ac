import type { ImageView, Processor } from '@gallery/message-schema';
import type { Kysely } from 'kysely';
import type { Database, ImageRow } from '../db/schema';

type Queryable = Kysely<Database>;

export const thumbnailUrl = (imageId: string, width: number, format: string) =>
  `/api/images/${imageId}/thumbnails/${width}.${format}`;

/**
 * The image JSON of each row, in the rows' order: tags, thumbnails and failure reasons are
 * read in one query each for the whole page.
 */
export async function toImageViews(db: Queryable, rows: ImageRow[]): Promise<ImageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [tags, thumbnails, failures] = await Promise.all([
    db
      .selectFrom('image_tags')
      .select(['image_id', 'name', 'confidence', 'source'])
      .where('image_id', 'in', ids)
      .orderBy('confidence', (order) => order.desc().nullsFirst())
      .orderBy('name')
      .execute(),
    db
      .selectFrom('thumbnails')
      .select(['image_id', 'width', 'height', 'format'])
      .where('image_id', 'in', ids)
      .orderBy('width')
      .orderBy('format')
      .execute(),
    db
      .selectFrom('processing_results')
      .select(['image_id', 'processor', 'error'])
      .where('image_id', 'in', ids)
      .where('status', '=', 'failed')
      .execute(),
  ]);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    createdAt: row.created_at.toISOString(),
    status: { thumbnail: row.thumbnail_status, tags: row.tags_status },
    errors: Object.fromEntries(
      failures
        .filter((failure) => failure.image_id === row.id)
        .map((failure) => [failure.processor as Processor, failure.error ?? 'failed']),
    ),
    tags: tags
      .filter((tag) => tag.image_id === row.id)
      .map(({ name, confidence, source }) => ({ name, confidence, source })),
    thumbnails: thumbnails
      .filter((thumbnail) => thumbnail.image_id === row.id)
      .map(({ width, height, format }) => ({
        width,
        height,
        format,
        url: thumbnailUrl(row.id, width, format),
      })),
    placeholder: row.placeholder,
  }));
}

/** The image JSON of one image, or null when there is no such image. */
export async function findImageView(db: Queryable, id: string): Promise<ImageView | null> {
  const row = await db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [view] = await toImageViews(db, [row]);
  return view;
}
