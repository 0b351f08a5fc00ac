import * as z from 'zod';

export const IMAGE_UPLOADED = 'image.uploaded';

/** `image.uploaded` v1: thin, carries where the original is, never its bytes. */
export const imageUploadedV1 = z.object({
  type: z.literal(IMAGE_UPLOADED),
  version: z.literal(1),
  eventId: z.uuid(),
  imageId: z.uuid(),
  bucket: z.string().min(1),
  key: z.string().min(1),
  contentType: z.string().min(1),
  size: z.number().int().nonnegative(),
  uploadedAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
});

export type ImageUploaded = z.infer<typeof imageUploadedV1>;

export const SUPPORTED_VERSIONS = [1] as const;
