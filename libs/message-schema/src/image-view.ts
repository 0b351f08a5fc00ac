import * as z from 'zod';

export const processingStatus = z.enum(['pending', 'done', 'failed']);
export type ProcessingStatus = z.infer<typeof processingStatus>;

/** An image as the API returns it and as the web app shows it. */
export const imageView = z.object({
  id: z.uuid(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: z.string(),
  status: z.object({ thumbnail: processingStatus, tags: processingStatus }),
  /** The reason of each failed processor, keyed by processor. */
  errors: z.object({ thumbnail: z.string().optional(), tags: z.string().optional() }),
  tags: z.array(
    z.object({ name: z.string(), confidence: z.number().nullable(), source: z.string() }),
  ),
  thumbnails: z.array(
    z.object({ width: z.number(), height: z.number(), format: z.string(), url: z.string() }),
  ),
  /** A thumbhash, base64, or null until the thumbnail worker has run. */
  placeholder: z.string().nullable(),
});
export type ImageView = z.infer<typeof imageView>;

export const imagePage = z.object({
  items: z.array(imageView),
  nextCursor: z.string().nullable(),
});
export type ImagePage = z.infer<typeof imagePage>;

/** Server-sent events on `GET /api/events`: the event name and its JSON data. */
export type GalleryEvent =
  | { type: 'image.created'; data: ImageView }
  | { type: 'image.updated'; data: ImageView }
  | { type: 'image.deleted'; data: { id: string } };
