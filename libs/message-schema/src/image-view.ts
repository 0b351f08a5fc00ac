import * as z from 'zod';
import {
  CATALOG,
  perProcessor,
  RESULTS,
  type ProcessorEntry,
  type ProcessorName,
} from '@gallery/processors';

export const processingStatus = z.enum(['pending', 'done', 'failed']);
export type ProcessingStatus = z.infer<typeof processingStatus>;

/** The processors whose result the image JSON carries as it came, under their name. */
export type JsonStored = Extract<(typeof CATALOG)[number], { storage: 'json' }>['name'];
export const JSON_STORED = (CATALOG as readonly ProcessorEntry[])
  .filter((entry) => entry.storage === 'json')
  .map((entry) => entry.name) as JsonStored[];

const results = Object.fromEntries(
  (JSON_STORED as string[]).map((name) => [name, RESULTS[name as ProcessorName].nullable()]),
) as {
  [N in JsonStored]: z.ZodNullable<(typeof RESULTS)[N]>;
};

/**
 * An image as the API returns it and as the web app shows it. Each processor has its status;
 * one stored as JSON has its result under its name, null until it is done.
 */
export const imageView = z.object({
  id: z.uuid(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: z.string(),
  status: z.object(perProcessor(() => processingStatus)),
  /** The reason of each failed processor, keyed by processor. */
  errors: z.object(perProcessor(() => z.string().optional())),
  tags: z.array(
    z.object({ name: z.string(), confidence: z.number().nullable(), source: z.string() }),
  ),
  thumbnails: z.array(
    z.object({ width: z.number(), height: z.number(), format: z.string(), url: z.string() }),
  ),
  /** A thumbhash, base64, or null until the thumbnail worker has run. */
  placeholder: z.string().nullable(),
  /** Who added it; null only for an image older than people. */
  addedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  /** The ids of the albums it is in. */
  albums: z.array(z.uuid()),
  ...results,
});
export type ImageView = z.infer<typeof imageView>;

export const imagePage = z.object({
  items: z.array(imageView),
  nextCursor: z.string().nullable(),
});
export type ImagePage = z.infer<typeof imagePage>;

/** An album as the API returns it: its cover is the chosen image, else its newest. */
export const albumView = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  addedBy: z.object({ id: z.uuid(), username: z.string() }),
  imageCount: z.number().int(),
  cover: z.object({ imageId: z.uuid(), thumbnailUrl: z.string().nullable() }).nullable(),
  /** Whether its owner chose the cover. */
  coverChosen: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlbumView = z.infer<typeof albumView>;

/** Server-sent events on `GET /api/events`: the event name and its JSON data. */
export type GalleryEvent =
  | { type: 'image.created'; data: ImageView }
  | { type: 'image.updated'; data: ImageView }
  | { type: 'image.deleted'; data: { id: string } }
  | { type: 'album.created'; data: AlbumView }
  | { type: 'album.updated'; data: AlbumView }
  | { type: 'album.deleted'; data: { id: string } };
