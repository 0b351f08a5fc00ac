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

const text = z.string().min(1).max(200);

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
  /**
   * What the original's EXIF and XMP say, each field only when the file has it: a file without
   * metadata reports `{}`.
   */
  metadata: z.object({
    make: text.optional(),
    model: text.optional(),
    lens: text.optional(),
    /** When the photo was taken, as the camera's clock read: `2024-06-01T14:03:22`. */
    takenAt: z.iso.datetime({ local: true }).optional(),
    /** That clock's offset from UTC, when the file has it: `+02:00`. */
    offset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/)
      .optional(),
    iso: z.number().positive().optional(),
    /** The f-number: 4 for f/4. */
    aperture: z.number().positive().optional(),
    /** Seconds: 0.004 for 1/250 s. */
    exposureTime: z.number().positive().optional(),
    /** Millimetres. */
    focalLength: z.number().positive().optional(),
    /** EXIF orientation, 1 (upright) to 8. */
    orientation: z.number().int().min(1).max(8).optional(),
    /** Pixels, as stored (before orientation). */
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    /** Degrees, north and east positive; altitude in metres above sea level. */
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        altitude: z.number().optional(),
      })
      .optional(),
  }),
} satisfies Record<ProcessorName, z.ZodObject>;

export type ResultOf<N extends ProcessorName> = z.infer<(typeof RESULTS)[N]>;
