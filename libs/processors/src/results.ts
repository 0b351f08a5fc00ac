// A namespace import: a bundle then keeps only the zod it uses (`{ z }` keeps all of it).
import * as z from 'zod';
import type { ProcessorName } from './catalog';

/*
 * What each processor reports when it is done: the fields of its callback's body besides
 * `status`, `imageId` and `eventId`. A processor stored as JSON has this returned in the
 * image JSON under its name.
 */

export const thumbnailSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.enum(['webp', 'jpeg', 'avif']),
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
});
export type Thumbnail = z.infer<typeof thumbnailSchema>;

export const labelSchema = z.object({
  name: z.string().min(1).max(100),
  confidence: z.number().min(0).max(100),
});
export type Label = z.infer<typeof labelSchema>;

export const RESULTS = {
  thumbnail: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    placeholder: z.string().max(200).nullable(),
    thumbnails: z.array(thumbnailSchema).min(1).max(10),
  }),
  /** `labeler` names the source, e.g. `rekognition`. */
  tags: z.object({
    labeler: z.string().min(1).max(50),
    tags: z.array(labelSchema).max(100),
  }),
  /** What the metadata processor reports when done: its fields, to fill in. */
  metadata: z.object({}),
} satisfies Record<ProcessorName, z.ZodObject>;

export type ResultOf<N extends ProcessorName> = z.infer<(typeof RESULTS)[N]>;
