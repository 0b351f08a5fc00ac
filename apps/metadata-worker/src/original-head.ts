import { buffer } from 'node:stream/consumers';
import { ObjectNotFoundError, type ObjectStore } from '@gallery/storage';

/** A JPEG's EXIF and XMP sit in its first segments, within the first tens of KB. */
export const HEAD_BYTES = 128 * 1024;

/**
 * The bytes of an original that hold its metadata, read as little as the format allows: a
 * JPEG's head when its metadata segments all end inside it (they precede the scan data);
 * the whole file otherwise, and for formats that may put metadata anywhere (a PNG's chunks, a
 * WebP's EXIF after the image, an AVIF's or TIFF's offsets). Null when the original is gone.
 */
export async function readMetadataBytes(
  store: ObjectStore,
  key: string,
  contentType: string,
): Promise<{ bytes: Buffer; whole: boolean } | null> {
  try {
    if (contentType === 'image/jpeg') {
      const head = await buffer(
        (await store.get(key, { range: { start: 0, end: HEAD_BYTES - 1 } })).body,
      );
      if (head.length < HEAD_BYTES || jpegMetadataEndsWithin(head)) {
        return { bytes: head, whole: head.length < HEAD_BYTES };
      }
    }
    return { bytes: await store.read(key), whole: true };
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
}

/**
 * Whether every segment before a JPEG's scan data lies within `head`: walks the markers from
 * the start of image to the start of scan (SOS), each segment's length as it says.
 */
export function jpegMetadataEndsWithin(head: Buffer): boolean {
  if (head.length < 4 || head[0] !== 0xff || head[1] !== 0xd8) return false;
  let offset = 2;
  while (offset + 4 <= head.length) {
    if (head[offset] !== 0xff) return false;
    const marker = head[offset + 1];
    // Fill bytes before a marker.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xda) return true;
    offset += 2 + head.readUInt16BE(offset + 2);
  }
  return false;
}
