import { createCallbackClient, verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { InvalidImageError } from '@gallery/imaging';
import {
  anImageUploaded,
  anSqsEvent,
  anSqsRecord,
  collectingDeadLetters,
  inSnsEnvelope,
  silentLogger,
} from '@gallery/messaging/testing';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createBatchHandler } from '@gallery/worker-runtime';
import type { Labeler } from '../src/labeler';
import { tagsWorker } from '../src/process-record';

const SECRET = 'tags-secret-for-tests';

/** Labels every image `cat`, except those stored as `corrupt`, which it cannot decode. */
const catLabeler: Labeler = {
  name: 'cats-only',
  async label(image) {
    if (image.contentType === 'image/corrupt') throw new InvalidImageError('not a decodable image');
    return [{ name: 'cat', confidence: 88 }];
  },
};

describe('tags batch handler', () => {
  let api: FakeApi;
  const store = createMemoryObjectStore('test');

  afterEach(() => api.close());

  async function setUp() {
    api = await startFakeApi();
    const { sink, sent } = collectingDeadLetters();
    const callbacks = createCallbackClient({
      processor: 'tags',
      baseUrl: api.baseUrl,
      secret: SECRET,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const handler = createBatchHandler({
      worker: tagsWorker(catLabeler),
      store,
      callbacks,
      deadLetters: sink,
      logger: silentLogger,
    });
    return { handler, deadLetters: sent };
  }

  async function anUploadedImage(contentType = 'image/jpeg') {
    const event = anImageUploaded({ contentType });
    await store.put(event.key, Buffer.from('bytes'), { contentType });
    return event;
  }

  it('tags every image of a batch, raw or in an SNS envelope, with signed callbacks', async () => {
    const { handler, deadLetters } = await setUp();
    const raw = await anUploadedImage();
    const enveloped = await anUploadedImage();

    const response = await handler(
      anSqsEvent(anSqsRecord(JSON.stringify(raw), 'a'), anSqsRecord(inSnsEnvelope(enveloped), 'b')),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    for (const event of [raw, enveloped]) {
      expect(api.tagsFor(event.imageId)).toEqual([
        {
          status: 'done',
          imageId: event.imageId,
          eventId: event.eventId,
          labeler: 'cats-only',
          tags: [{ name: 'cat', confidence: 88 }],
        },
      ]);
    }
    for (const request of api.received) {
      await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
        ok: true,
      });
    }
  });

  it('dead-letters an image that cannot be labelled, after reporting it failed, and tags its siblings', async () => {
    const { handler, deadLetters } = await setUp();
    const corrupt = await anUploadedImage('image/corrupt');
    const fine = await anUploadedImage();

    const response = await handler(
      anSqsEvent(
        anSqsRecord(JSON.stringify(corrupt), 'bad'),
        anSqsRecord(JSON.stringify(fine), 'good'),
      ),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([
      { messageId: 'bad', reason: 'InvalidImageError: not a decodable image' },
    ]);
    expect(api.tagsFor(corrupt.imageId)).toEqual([
      {
        status: 'failed',
        imageId: corrupt.imageId,
        eventId: corrupt.eventId,
        error: 'not a decodable image',
      },
    ]);
    expect(api.tagsFor(fine.imageId)).toHaveLength(1);
  });

  it('dead-letters an event of an unknown version at once, without a callback', async () => {
    const { handler, deadLetters } = await setUp();
    const future = { ...anImageUploaded(), version: 2 };

    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(future), 'v2')));

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([
      { messageId: 'v2', reason: 'UnknownVersionError: unknown image.uploaded version 2' },
    ]);
    expect(api.received).toEqual([]);
  });

  it('reports only the record whose callback could not be delivered, for a retry', async () => {
    const { handler, deadLetters } = await setUp();
    await api.close();
    const event = await anUploadedImage();

    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'unreachable')));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'unreachable' }]);
    expect(deadLetters).toEqual([]);
    api = await startFakeApi();
  });
});
