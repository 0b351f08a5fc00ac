import * as z from 'zod';

/** The processors that report back to the API, one callback route and one secret each. */
export const PROCESSORS = ['thumbnail', 'tags'] as const;
export type Processor = (typeof PROCESSORS)[number];

/**
 * Every callback names its image in the signed body, so a signed request cannot be
 * replayed onto another image's URL: the API checks it against the path.
 */
const failure = z.object({
  status: z.literal('failed'),
  imageId: z.uuid(),
  eventId: z.uuid(),
  error: z.string().min(1).max(2000),
});

export const thumbnailSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.enum(['webp', 'jpeg', 'avif']),
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
});
export type Thumbnail = z.infer<typeof thumbnailSchema>;

/** Body of `PUT /internal/images/:id/thumbnails`. */
export const thumbnailsCallback = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('done'),
    imageId: z.uuid(),
    eventId: z.uuid(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    placeholder: z.string().max(200).nullable(),
    thumbnails: z.array(thumbnailSchema).min(1).max(10),
  }),
  failure,
]);
export type ThumbnailsCallback = z.infer<typeof thumbnailsCallback>;

export const labelSchema = z.object({
  name: z.string().min(1).max(100),
  confidence: z.number().min(0).max(100),
});
export type Label = z.infer<typeof labelSchema>;

/** Body of `PUT /internal/images/:id/tags`. `labeler` names the source, e.g. `rekognition`. */
export const tagsCallback = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('done'),
    imageId: z.uuid(),
    eventId: z.uuid(),
    labeler: z.string().min(1).max(50),
    tags: z.array(labelSchema).max(100),
  }),
  failure,
]);
export type TagsCallback = z.infer<typeof tagsCallback>;
