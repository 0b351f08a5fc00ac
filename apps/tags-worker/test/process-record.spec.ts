import { randomUUID } from 'node:crypto';
import { createCallbackClient, verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { InvalidImageError } from '@gallery/imaging';
import { InvalidMessageError } from '@gallery/message-schema';
import { PermanentError } from '@gallery/messaging';
import {
  anImageUploaded,
  anSqsRecord,
  inSnsEnvelope,
  silentLogger,
} from '@gallery/messaging/testing';
import { ObjectNotFoundError, originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createRecordHandler } from '@gallery/worker-runtime';
import type { ImageRef, Label, Labeler } from '../src/labeler';
import { tagsWorker } from '../src/process-record';

const SECRET = 'tags-secret-for-tests';
const fastRetry = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

/** A labeler that answers from a script: labels, or an error to throw. */
function scriptedLabeler(
  answer: (image: ImageRef) => Label[] | Error,
): Labeler & { seen: ImageRef[] } {
  const seen: ImageRef[] = [];
  return {
    name: 'scripted',
    seen,
    async label(image) {
      seen.push(image);
      const result = answer(image);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

describe('tags record handler', () => {
  let api: FakeApi;
  const store = createMemoryObjectStore('test');

  beforeEach(() => store.objects.clear());
  afterEach(() => api.close());

  async function setUp(labeler: Labeler, statusFor?: Parameters<typeof startFakeApi>[0]) {
    api = await startFakeApi(statusFor);
    const callbacks = createCallbackClient({
      processor: 'tags',
      baseUrl: api.baseUrl,
      secret: SECRET,
      retry: fastRetry,
    });
    return createRecordHandler({
      worker: tagsWorker(labeler),
      store,
      callbacks,
      logger: silentLogger,
    });
  }

  async function anUploadedImage(contentType = 'image/webp') {
    const event = anImageUploaded({ contentType });
    await store.put(event.key, Buffer.from('the original'), { contentType });
    return event;
  }

  it('labels the original and sends the tags in a signed callback', async () => {
    const labels = [
      { name: 'dog', confidence: 91 },
      { name: 'animal', confidence: 91 },
    ];
    const labeler = scriptedLabeler(() => labels);
    const handle = await setUp(labeler);
    const event = await anUploadedImage('image/webp');

    const outcome = await handle(anSqsRecord(JSON.stringify(event)));

    expect(outcome).toBe('done');
    expect(labeler.seen).toEqual([
      { bucket: 'test', key: event.key, contentType: 'image/webp', size: 'the original'.length },
    ]);
    const [request] = api.received;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`/internal/images/${event.imageId}/tags`);
    expect(request.headers['x-correlation-id']).toBe(event.correlationId);
    expect(JSON.parse(request.body)).toEqual({
      status: 'done',
      imageId: event.imageId,
      eventId: event.eventId,
      labeler: 'scripted',
      tags: labels,
    });
    await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
  });

  it('accepts the event inside an SNS envelope', async () => {
    const handle = await setUp(scriptedLabeler(() => []));
    const event = await anUploadedImage();

    const outcome = await handle(anSqsRecord(inSnsEnvelope(event)));

    expect(outcome).toBe('done');
    expect(api.tagsFor(event.imageId)).toEqual([
      {
        status: 'done',
        imageId: event.imageId,
        eventId: event.eventId,
        labeler: 'scripted',
        tags: [],
      },
    ]);
  });

  it('skips an image whose original is gone, without labelling or calling back', async () => {
    const labeler = scriptedLabeler(() => []);
    const handle = await setUp(labeler);
    const event = anImageUploaded();

    const outcome = await handle(anSqsRecord(JSON.stringify(event)));

    expect(outcome).toBe('skipped');
    expect(labeler.seen).toEqual([]);
    expect(api.received).toEqual([]);
  });

  it('skips an image whose original disappears while it is being labelled', async () => {
    const handle = await setUp(scriptedLabeler((image) => new ObjectNotFoundError(image.key)));
    const event = await anUploadedImage();

    await expect(handle(anSqsRecord(JSON.stringify(event)))).resolves.toBe('skipped');
    expect(api.received).toEqual([]);
  });

  it('skips an image deleted before its tags arrived', async () => {
    const handle = await setUp(
      scriptedLabeler(() => [{ name: 'cat', confidence: 80 }]),
      () => 410,
    );
    const event = await anUploadedImage();

    await expect(handle(anSqsRecord(JSON.stringify(event)))).resolves.toBe('skipped');
    expect(api.received).toHaveLength(1);
  });

  it('reports an image that can never be labelled as failed, then rethrows for the DLQ', async () => {
    const handle = await setUp(
      scriptedLabeler(() => new InvalidImageError('not a decodable image')),
    );
    const event = await anUploadedImage();

    const error = await handle(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidImageError);
    expect(api.tagsFor(event.imageId)).toEqual([
      {
        status: 'failed',
        imageId: event.imageId,
        eventId: event.eventId,
        error: 'not a decodable image',
      },
    ]);
  });

  it('rethrows a retryable labeler failure without reporting anything', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const handle = await setUp(scriptedLabeler(() => throttled));
    const event = await anUploadedImage();

    await expect(handle(anSqsRecord(JSON.stringify(event)))).rejects.toBe(throttled);
    expect(api.received).toEqual([]);
  });

  it('fails to be retried when the API cannot take the tags', async () => {
    const handle = await setUp(
      scriptedLabeler(() => []),
      () => 503,
    );
    const event = await anUploadedImage();

    const error = await handle(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    expect((error as { permanent: boolean }).permanent).toBe(false);
    expect(api.received).toHaveLength(fastRetry.attempts);
  });

  it('refuses, as permanent, an event whose key is not the original of its image', async () => {
    const labeler = scriptedLabeler(() => []);
    const handle = await setUp(labeler);
    const event = anImageUploaded({ key: originalKey(randomUUID()) });

    const error = await handle(anSqsRecord(JSON.stringify(event))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/is not the original of/);
    expect(labeler.seen).toEqual([]);
  });

  it('refuses, as permanent, an event naming another bucket', async () => {
    const handle = await setUp(scriptedLabeler(() => []));
    const event = anImageUploaded({ bucket: 'someone-elses' });

    await expect(handle(anSqsRecord(JSON.stringify(event)))).rejects.toThrow(PermanentError);
  });

  it('refuses, as permanent, a body that is no event', async () => {
    const handle = await setUp(scriptedLabeler(() => []));

    await expect(handle(anSqsRecord('{"hello":"world"}'))).rejects.toThrow(InvalidMessageError);
    expect(api.received).toEqual([]);
  });
});
