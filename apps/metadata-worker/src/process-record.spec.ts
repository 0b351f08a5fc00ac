import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { ImageUploaded } from '@gallery/message-schema';
import { RESULTS } from '@gallery/processors';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { metadataWorker } from './process-record';

function anEvent(store: { bucket: string }): ImageUploaded {
  const imageId = randomUUID();
  return {
    type: 'image.uploaded',
    version: 1,
    eventId: randomUUID(),
    imageId,
    bucket: store.bucket,
    key: originalKey(imageId),
    contentType: 'image/jpeg',
    size: 3,
    uploadedAt: new Date().toISOString(),
    correlationId: 'test',
  };
}

describe('the metadata work', () => {
  const logger = pino({ level: 'silent' });

  it('gives a result of its schema for an original', async () => {
    const store = createMemoryObjectStore();
    const event = anEvent(store);
    await store.put(event.key, Buffer.from([0xff, 0xd8, 0xff]), { contentType: 'image/jpeg' });

    const result = await metadataWorker().work({ event, store, logger });

    expect(RESULTS['metadata'].safeParse(result).success).toBe(true);
  });

  it('skips an image whose original is gone', async () => {
    const store = createMemoryObjectStore();

    await expect(
      metadataWorker().work({ event: anEvent(store), store, logger }),
    ).resolves.toBeNull();
  });
});
