import { createCallbackClient } from '@gallery/api-client';
import { startFakeApi, type FakeApi, type ReceivedRequest } from '@gallery/api-client/testing';
import {
  anImageUploaded,
  anSqsRecord,
  collectingDeadLetters,
  inSnsEnvelope,
  silentLogger as logger,
} from '@gallery/messaging/testing';
import { thumbnailKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createBatchHandler } from '@gallery/worker-runtime';
import { detailedJpeg, truncatedJpeg } from '../test/images';
import { thumbnailWorker } from './process-record';

function setUp(api: FakeApi) {
  const store = createMemoryObjectStore();
  const { sink, sent } = collectingDeadLetters();
  const callbacks = createCallbackClient({
    processor: 'thumbnail',
    baseUrl: api.baseUrl,
    secret: 'thumbnail-secret-for-tests',
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const handler = createBatchHandler({
    worker: thumbnailWorker(),
    store,
    callbacks,
    deadLetters: sink,
    logger,
  });
  return { store, handler, deadLettered: sent };
}

const imageOf = ({ url }: ReceivedRequest) => url?.split('/')[3];

describe('thumbnail batch handler', () => {
  let api: FakeApi;
  afterEach(() => api.close());

  /** The status of each thumbnails callback the API received for one image. */
  const statusesOf = ({ imageId }: { imageId: string }) =>
    api.thumbnailsFor(imageId).map((body) => (body as { status: string }).status);

  it('dead-letters a corrupt image and still makes its siblings thumbnails', async () => {
    // prepare
    api = await startFakeApi();
    const { store, handler, deadLettered } = setUp(api);
    const [good1, bad, good2] = [anImageUploaded(), anImageUploaded(), anImageUploaded()];
    await store.put(good1.key, await detailedJpeg(640, 480), { contentType: 'image/jpeg' });
    await store.put(bad.key, await truncatedJpeg(), { contentType: 'image/jpeg' });
    await store.put(good2.key, await detailedJpeg(640, 480), { contentType: 'image/jpeg' });
    const records = [good1, bad, good2].map((event, i) =>
      anSqsRecord(JSON.stringify(event), `m${i}`),
    );

    // act
    const response = await handler({ Records: records });

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered).toEqual([
      { messageId: 'm1', reason: expect.stringMatching(/^InvalidImageError: image could not/) },
    ]);
    for (const event of [good1, good2]) {
      expect(store.objects.has(thumbnailKey(event.imageId, 256, 'webp'))).toBe(true);
    }
    expect([good1, bad, good2].map(statusesOf)).toEqual([['done'], ['failed'], ['done']]);
  });

  it('reports only the record whose callback could not be delivered, for a retry', async () => {
    // prepare: the API fails for one image only
    const [ok, unlucky] = [anImageUploaded(), anImageUploaded()];
    api = await startFakeApi((request) => (imageOf(request) === unlucky.imageId ? 503 : 204));
    const { store, handler, deadLettered } = setUp(api);
    for (const event of [ok, unlucky]) {
      await store.put(event.key, await detailedJpeg(640, 480), { contentType: 'image/jpeg' });
    }

    // act
    const response = await handler({
      Records: [anSqsRecord(JSON.stringify(ok), 'ok'), anSqsRecord(JSON.stringify(unlucky), 'x')],
    });

    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'x' }]);
    expect(deadLettered).toEqual([]);
  });

  it('accepts an event wrapped in an SNS envelope', async () => {
    // prepare
    api = await startFakeApi();
    const { store, handler, deadLettered } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await detailedJpeg(640, 480), { contentType: 'image/jpeg' });

    // act
    const response = await handler({ Records: [anSqsRecord(inSnsEnvelope(event))] });

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered).toEqual([]);
    expect(statusesOf(event)).toEqual(['done']);
    expect(store.objects.has(thumbnailKey(event.imageId, 256, 'webp'))).toBe(true);
  });

  it('dead-letters an event of an unknown version with its reason', async () => {
    // prepare
    api = await startFakeApi();
    const { handler, deadLettered } = setUp(api);
    const body = JSON.stringify({ ...anImageUploaded(), version: 2 });

    // act
    const response = await handler({ Records: [anSqsRecord(body, 'v2')] });

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLettered).toEqual([
      { messageId: 'v2', reason: 'UnknownVersionError: unknown image.uploaded version 2' },
    ]);
    expect(api.received).toEqual([]);
  });
});
