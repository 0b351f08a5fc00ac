import { IMAGE_UPLOADED, type ImageUploaded } from '@gallery/message-schema';
import { originalKey } from '@gallery/storage';
import { randomUUID } from 'node:crypto';

/** What the event says about the stored original: the image row's own values. */
export interface UploadedOriginal {
  imageId: string;
  contentType: string;
  size: number;
  uploadedAt: Date;
}

/**
 * The `image.uploaded` v1 event for an original, with a fresh event id: an upload and every
 * later re-publication of the same image are distinct events about the same object.
 */
export function imageUploadedEvent(
  bucket: string,
  original: UploadedOriginal,
  correlationId: string,
): ImageUploaded {
  return {
    type: IMAGE_UPLOADED,
    version: 1,
    eventId: randomUUID(),
    imageId: original.imageId,
    bucket,
    key: originalKey(original.imageId),
    contentType: original.contentType,
    size: original.size,
    uploadedAt: original.uploadedAt.toISOString(),
    correlationId,
  };
}
