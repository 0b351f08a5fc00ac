import { randomUUID } from 'node:crypto';
import pino from 'pino';
import sharp from 'sharp';
import type { ImageUploaded } from '@gallery/message-schema';
import { RESULTS } from '@gallery/processors';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore, type MemoryObjectStore } from '@gallery/storage/testing';
import { withTags } from '../test/exiftool';
import { peoplePhotoPath } from '@gallery/imaging/testing';
import { HEAD_BYTES, jpegMetadataEndsWithin } from './original-head';
import { metadataWorker } from './process-record';
import { readMetadata } from './read-metadata';

const logger = pino({ level: 'silent' });
const TAGS = [
  '-Make=Canon',
  '-DateTimeOriginal=2024:06:01 14:03:22',
  '-GPSLatitude=48.85',
  '-GPSLatitudeRef=N',
  '-GPSLongitude=2.29',
  '-GPSLongitudeRef=E',
];

/** An upload of `bytes` as the API stores it, and its event. */
async function stored(
  store: MemoryObjectStore,
  bytes: Buffer,
  contentType = 'image/jpeg',
): Promise<ImageUploaded> {
  const imageId = randomUUID();
  const key = originalKey(imageId);
  await store.put(key, bytes, { contentType });
  return {
    type: 'image.uploaded',
    version: 1,
    eventId: randomUUID(),
    imageId,
    bucket: store.bucket,
    key,
    contentType,
    size: bytes.length,
    uploadedAt: new Date().toISOString(),
    correlationId: 'test',
  };
}

/** A JPEG with `padding` bytes of APP15 segments before its scan: its metadata ends late. */
function withPadding(jpeg: Buffer, padding: number): Buffer {
  const segments: Buffer[] = [];
  for (let left = padding; left > 0; left -= 60_000) {
    const length = Math.min(60_000, left);
    const segment = Buffer.alloc(length + 4, 0x20);
    segment.writeUInt16BE(0xffef, 0);
    segment.writeUInt16BE(length + 2, 2);
    segments.push(segment);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

describe('the metadata work', () => {
  let photo: Buffer;
  beforeAll(async () => {
    photo = withTags(await sharp(peoplePhotoPath()).jpeg({ quality: 95 }).toBuffer(), 'jpg', TAGS);
  });

  it("reads a JPEG's head only, and finds in it what the whole file says", async () => {
    const store = createMemoryObjectStore();
    const event = await stored(store, photo);

    const result = await metadataWorker({ keepLocation: true }).work({ event, store, logger });

    expect(photo.length).toBeGreaterThan(HEAD_BYTES);
    expect(jpegMetadataEndsWithin(photo.subarray(0, HEAD_BYTES))).toBe(true);
    expect(result).toEqual(readMetadata(photo, { keepLocation: true }));
    expect(result).toMatchObject({ make: 'Canon', takenAt: '2024-06-01T14:03:22' });
    expect(RESULTS.metadata.safeParse(result).success).toBe(true);
  });

  it('reads the whole JPEG when its metadata segments run past the head', async () => {
    const padded = withPadding(photo, HEAD_BYTES * 2);
    const store = createMemoryObjectStore();
    const event = await stored(store, padded);

    const result = await metadataWorker({ keepLocation: true }).work({ event, store, logger });

    expect(jpegMetadataEndsWithin(padded.subarray(0, HEAD_BYTES))).toBe(false);
    expect(result).toMatchObject({ make: 'Canon', takenAt: '2024-06-01T14:03:22' });
  });

  it('reads the whole file of a format that may put metadata anywhere', async () => {
    const png = withTags(await sharp(peoplePhotoPath()).png().toBuffer(), 'png', TAGS);
    const store = createMemoryObjectStore();
    const event = await stored(store, png, 'image/png');

    const result = await metadataWorker({ keepLocation: true }).work({ event, store, logger });

    expect(result).toMatchObject({ make: 'Canon', location: { latitude: 48.85 } });
  });

  it('never reports a location when told not to keep it', async () => {
    const store = createMemoryObjectStore();
    const event = await stored(store, photo);

    const result = await metadataWorker({ keepLocation: false }).work({ event, store, logger });

    expect(result).toMatchObject({ make: 'Canon' });
    expect(result).not.toHaveProperty('location');
  });

  it('is done, not failed, for a file without metadata: its pixel size only', async () => {
    const gif = await sharp(peoplePhotoPath()).resize(320, 200, { fit: 'fill' }).gif().toBuffer();
    const store = createMemoryObjectStore();
    const event = await stored(store, gif, 'image/gif');

    await expect(
      metadataWorker({ keepLocation: true }).work({ event, store, logger }),
    ).resolves.toEqual({ width: 320, height: 200 });
  });

  it('is done with {} for bytes it can read nothing from', async () => {
    const store = createMemoryObjectStore();
    const event = await stored(store, Buffer.from('not an image at all'), 'image/tiff');

    await expect(
      metadataWorker({ keepLocation: true }).work({ event, store, logger }),
    ).resolves.toEqual({});
  });

  it('skips an image whose original is gone', async () => {
    const store = createMemoryObjectStore();
    const event = await stored(store, photo);
    await store.delete(event.key);

    await expect(
      metadataWorker({ keepLocation: true }).work({ event, store, logger }),
    ).resolves.toBeNull();
  });
});
