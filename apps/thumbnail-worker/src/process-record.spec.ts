import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { createCallbackClient, verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { PermanentError } from '@gallery/messaging';
import { anImageUploaded, anSqsRecord, silentLogger, until } from '@gallery/messaging/testing';
import { originalKey, StorageError, thumbnailKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createRecordHandler } from '@gallery/worker-runtime';
import { detailedJpeg, truncatedJpeg } from '../test/images';
import { thumbnailWorker } from './process-record';

const SECRET = 'thumbnail-secret-for-tests';
const noRetry = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

const callbacksTo = (api: FakeApi) =>
  createCallbackClient({
    processor: 'thumbnail',
    baseUrl: api.baseUrl,
    secret: SECRET,
    retry: noRetry,
  });

function setUp(api: FakeApi) {
  const store = createMemoryObjectStore();
  const recordHandler = createRecordHandler({
    worker: thumbnailWorker(),
    store,
    callbacks: callbacksTo(api),
    logger: silentLogger,
  });
  return { store, recordHandler };
}

describe('thumbnail record handler', () => {
  let api: FakeApi;
  afterEach(() => api.close());

  it('leaves its render turn to the next record while it stores its thumbnails', async () => {
    // prepare: one render at a time, and the first record's puts held
    api = await startFakeApi();
    const store = createMemoryObjectStore();
    const [first, second] = [anImageUploaded(), anImageUploaded()];
    for (const event of [first, second]) {
      await store.put(event.key, await detailedJpeg(800, 600), { contentType: 'image/jpeg' });
    }
    let releaseFirst = () => undefined as void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const recordHandler = createRecordHandler({
      worker: thumbnailWorker({ decodeSlot: pLimit(1) }),
      store: {
        ...store,
        put: async (key, body, options) => {
          if (key.includes(first.imageId)) await firstHeld;
          return store.put(key, body, options);
        },
      },
      callbacks: callbacksTo(api),
      logger: silentLogger,
    });

    // act
    const handlingFirst = recordHandler(anSqsRecord(JSON.stringify(first)));
    const handlingSecond = recordHandler(anSqsRecord(JSON.stringify(second)));

    // assess: the second is rendered, stored and reported while the first still waits
    await expect(handlingSecond).resolves.toBe('done');
    expect(store.objects.has(thumbnailKey(second.imageId, 256, 'webp'))).toBe(true);
    expect(store.objects.has(thumbnailKey(first.imageId, 256, 'webp'))).toBe(false);
    releaseFirst();
    await expect(handlingFirst).resolves.toBe('done');
    expect(api.received).toHaveLength(2);
  });

  it('reads and decodes no more originals at once than its decode slots', async () => {
    // prepare: two slots, and every read held until let go
    api = await startFakeApi();
    const store = createMemoryObjectStore();
    const events = [anImageUploaded(), anImageUploaded(), anImageUploaded()];
    for (const event of events) {
      await store.put(event.key, await detailedJpeg(800, 600), { contentType: 'image/jpeg' });
    }
    const reads: Array<{ key: string; letGo: () => void }> = [];
    const recordHandler = createRecordHandler({
      worker: thumbnailWorker({ decodeSlot: pLimit(2) }),
      store: {
        ...store,
        read: async (key) => {
          await new Promise<void>((letGo) => reads.push({ key, letGo }));
          return store.read(key);
        },
      },
      callbacks: callbacksTo(api),
      logger: silentLogger,
    });

    // act
    const handling = events.map((event) => recordHandler(anSqsRecord(JSON.stringify(event))));
    await until(() => reads.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const readsWhileTwoHeld = reads.map(({ key }) => key);
    reads[0].letGo();
    await handling[0];
    await until(() => reads.length === 3);
    reads[1].letGo();
    reads[2].letGo();

    // assess
    expect(readsWhileTwoHeld).toEqual([events[0].key, events[1].key]);
    await expect(Promise.all(handling)).resolves.toEqual(['done', 'done', 'done']);
  });

  it('leaves a failure to read the original retryable, and reports nothing', async () => {
    // prepare
    api = await startFakeApi();
    const store = createMemoryObjectStore();
    const event = anImageUploaded();
    const reset = new StorageError('read of the original failed: ECONNRESET');
    const recordHandler = createRecordHandler({
      worker: thumbnailWorker(),
      store: { ...store, read: async () => Promise.reject(reset) },
      callbacks: callbacksTo(api),
      logger: silentLogger,
    });

    // act
    const error = await recordHandler(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    // assess
    expect(error).toBe(reset);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect(api.received).toEqual([]);
  });

  it('stores both thumbnails and reports them in a signed callback', async () => {
    // prepare
    api = await startFakeApi();
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await detailedJpeg(1600, 1200), { contentType: 'image/jpeg' });

    // act
    const outcome = await recordHandler(anSqsRecord(JSON.stringify(event)));

    // assess
    expect(outcome).toBe('done');
    const grid = store.objects.get(thumbnailKey(event.imageId, 256, 'webp'));
    const preview = store.objects.get(thumbnailKey(event.imageId, 1280, 'webp'));
    expect(grid?.contentType).toBe('image/webp');
    expect(preview?.contentType).toBe('image/webp');
    expect(await sharp(grid?.data).metadata()).toMatchObject({ width: 256, height: 192 });

    expect(api.received).toHaveLength(1);
    const [request] = api.received;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`/internal/images/${event.imageId}/thumbnails`);
    expect(request.headers['x-correlation-id']).toBe(event.correlationId);
    await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
    expect(JSON.parse(request.body)).toEqual({
      status: 'done',
      imageId: event.imageId,
      eventId: event.eventId,
      width: 1600,
      height: 1200,
      placeholder: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      thumbnails: [
        {
          width: 256,
          height: 192,
          format: 'webp',
          key: `thumbnails/${event.imageId}/256.webp`,
          size: grid?.data.length,
        },
        {
          width: 1280,
          height: 960,
          format: 'webp',
          key: `thumbnails/${event.imageId}/1280.webp`,
          size: preview?.data.length,
        },
      ],
    });
  });

  it('overwrites the same keys when a record is delivered twice', async () => {
    // prepare
    api = await startFakeApi();
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await detailedJpeg(800, 600), { contentType: 'image/jpeg' });
    const record = anSqsRecord(JSON.stringify(event));

    // act
    await recordHandler(record);
    const again = await recordHandler(record);

    // assess
    expect(again).toBe('done');
    expect([...store.objects.keys()].sort()).toEqual([
      originalKey(event.imageId),
      thumbnailKey(event.imageId, 256, 'webp'),
      thumbnailKey(event.imageId, 800, 'webp'),
    ]);
    expect(api.received.map(({ body }) => JSON.parse(body).status)).toEqual(['done', 'done']);
  });

  it('skips an image whose original is gone, without calling back', async () => {
    // prepare
    api = await startFakeApi();
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();

    // act
    const outcome = await recordHandler(anSqsRecord(JSON.stringify(event)));

    // assess
    expect(outcome).toBe('skipped');
    expect(api.received).toEqual([]);
    expect(store.objects.size).toBe(0);
  });

  it('reports a corrupt original as failed, then throws a permanent error', async () => {
    // prepare
    api = await startFakeApi();
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await truncatedJpeg(), { contentType: 'image/jpeg' });

    // act
    const error = await recordHandler(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    // assess
    expect(error).toBeInstanceOf(PermanentError);
    expect(api.received).toHaveLength(1);
    const [request] = api.received;
    await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
    expect(JSON.parse(request.body)).toEqual({
      status: 'failed',
      imageId: event.imageId,
      eventId: event.eventId,
      error: (error as Error).message,
    });
    expect((error as Error).message).toMatch(/^image could not be decoded: /);
    expect(store.objects.size).toBe(1);
  });

  it('skips, rather than dead-letters, a corrupt original whose image was deleted', async () => {
    // prepare: the API answers 410, the image is gone
    api = await startFakeApi(() => 410);
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await truncatedJpeg(), { contentType: 'image/jpeg' });

    // act
    const outcome = await recordHandler(anSqsRecord(JSON.stringify(event)));

    // assess
    expect(outcome).toBe('skipped');
    expect(api.received.map(({ body }) => JSON.parse(body).status)).toEqual(['failed']);
  });

  it('removes what it wrote when the image was deleted while it worked', async () => {
    // prepare: the API answers 410, the image is gone
    api = await startFakeApi(() => 410);
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded();
    await store.put(event.key, await detailedJpeg(800, 600), { contentType: 'image/jpeg' });

    // act
    const outcome = await recordHandler(anSqsRecord(JSON.stringify(event)));

    // assess
    expect(outcome).toBe('skipped');
    expect(api.received).toHaveLength(1);
    expect([...store.objects.keys()]).toEqual([event.key]);
  });

  it('refuses an event whose key is not the original of its image', async () => {
    // prepare
    api = await startFakeApi();
    const { store, recordHandler } = setUp(api);
    const event = anImageUploaded({ key: originalKey(randomUUID()) });
    await store.put(event.key, await detailedJpeg(800, 600), { contentType: 'image/jpeg' });

    // act
    const error = await recordHandler(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    // assess
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/is not the original of/);
    expect(api.received).toEqual([]);
  });
});
