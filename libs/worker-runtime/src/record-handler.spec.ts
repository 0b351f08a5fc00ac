import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createCallbackClient, verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { PermanentError } from '@gallery/messaging';
import {
  anImageUploaded,
  anSqsEvent,
  anSqsRecord,
  collectingDeadLetters,
  silentLogger,
} from '@gallery/messaging/testing';
import type { ResultOf } from '@gallery/processors';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createBatchHandler } from './record-handler';
import type { Worker, WorkContext } from './worker';

const SECRET = 'runtime-secret-for-tests';
const RESULT: ResultOf<'tags'> = { labeler: 'fake', tags: [{ name: 'cat', confidence: 90 }] };

/** A worker whose work answers from a script, keeping every context it was given. */
function fakeWorker(answer: (context: WorkContext) => ResultOf<'tags'> | null | Error) {
  const worked: WorkContext[] = [];
  const gone: { context: WorkContext; result: ResultOf<'tags'> }[] = [];
  const worker: Worker<'tags'> = {
    async work(context) {
      worked.push(context);
      const outcome = answer(context);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    async onGone(context, result) {
      gone.push({ context, result });
    },
  };
  return { worker, worked, gone };
}

describe('the per-record flow', () => {
  let api: FakeApi;
  afterEach(() => api.close());

  async function setUp(
    worker: Worker<'tags'>,
    { status = 204, logger = silentLogger }: { status?: number; logger?: pino.Logger } = {},
  ) {
    api = await startFakeApi(() => status);
    const store = createMemoryObjectStore('test');
    const { sink, sent } = collectingDeadLetters();
    const callbacks = createCallbackClient({
      processor: 'tags',
      baseUrl: api.baseUrl,
      secret: SECRET,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const handler = createBatchHandler({ worker, store, callbacks, deadLetters: sink, logger });
    return { handler, store, deadLetters: sent };
  }

  it("reports the work's result as done, in a signed callback, with the event's ids", async () => {
    // prepare
    const { worker, worked } = fakeWorker(() => RESULT);
    const { handler, store, deadLetters } = await setUp(worker);
    const event = anImageUploaded();

    // act
    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'm')));

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(worked.map(({ event: seen, store: given }) => [seen, given])).toEqual([[event, store]]);
    expect(api.tagsFor(event.imageId)).toEqual([
      { status: 'done', imageId: event.imageId, eventId: event.eventId, ...RESULT },
    ]);
    const [request] = api.received;
    expect(request.headers['x-correlation-id']).toBe(event.correlationId);
    await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
  });

  it("hands the work a logger that carries the record's and the event's ids", async () => {
    // prepare
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const { worker } = fakeWorker(({ logger }) => {
      logger.info('working');
      return RESULT;
    });
    const { handler } = await setUp(worker, { logger: pino(sink) });
    const event = anImageUploaded();

    // act
    await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'm-7')));

    // assess
    expect(lines.find(({ msg }) => msg === 'working')).toMatchObject({
      messageId: 'm-7',
      imageId: event.imageId,
      eventId: event.eventId,
      correlationId: event.correlationId,
    });
  });

  it('lets the worker undo its work when the image was deleted meanwhile, and skips the record', async () => {
    // prepare: the API answers 410, the image is gone
    const { worker, gone } = fakeWorker(() => RESULT);
    const { handler, deadLetters } = await setUp(worker, { status: 410 });
    const event = anImageUploaded();

    // act
    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event))));

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(gone.map(({ context, result }) => [context.event, result])).toEqual([[event, RESULT]]);
  });

  it('reports an image that can never be processed as failed, then dead-letters it with its reason', async () => {
    // prepare
    const long = `corrupt ${'x'.repeat(3000)}`;
    const { worker } = fakeWorker(() => new PermanentError(long));
    const { handler, deadLetters } = await setUp(worker);
    const event = anImageUploaded();

    // act
    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'bad')));

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([{ messageId: 'bad', reason: `PermanentError: ${long}` }]);
    expect(api.tagsFor(event.imageId)).toEqual([
      {
        status: 'failed',
        imageId: event.imageId,
        eventId: event.eventId,
        error: long.slice(0, 2000),
      },
    ]);
  });

  it('treats any error that says it is permanent as one', async () => {
    const permanent = Object.assign(new Error('not an image'), { permanent: true });
    const { worker } = fakeWorker(() => permanent);
    const { handler, deadLetters } = await setUp(worker);
    const event = anImageUploaded();

    await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'bad')));

    expect(deadLetters).toEqual([{ messageId: 'bad', reason: 'Error: not an image' }]);
    expect(api.tagsFor(event.imageId)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'not an image' }),
    ]);
  });

  it('skips, rather than dead-letters, an image that can never be processed and was deleted', async () => {
    const { worker } = fakeWorker(() => new PermanentError('corrupt'));
    const { handler, deadLetters } = await setUp(worker, { status: 410 });
    const event = anImageUploaded();

    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event))));

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(api.tagsFor(event.imageId)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('leaves any other error to be retried, reporting nothing', async () => {
    // prepare
    const { worker } = fakeWorker(() => new Error('connection reset'));
    const { handler, deadLetters } = await setUp(worker);
    const event = anImageUploaded();

    // act
    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'flaky')));

    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'flaky' }]);
    expect(deadLetters).toEqual([]);
    expect(api.received).toEqual([]);
  });

  it('skips the record, without a callback, when the work finds the original gone', async () => {
    const { worker, worked } = fakeWorker(() => null);
    const { handler, deadLetters } = await setUp(worker);

    const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(anImageUploaded()))));

    expect(response.batchItemFailures).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(worked).toHaveLength(1);
    expect(api.received).toEqual([]);
  });

  it.each([
    [
      'whose key is not the original of its image',
      { key: originalKey(randomUUID()) },
      /is not the original of/,
    ],
    ['naming another bucket', { bucket: 'someone-elses' }, /bucket "someone-elses" is not "test"/],
  ])(
    'dead-letters an event %s without working on it or calling back',
    async (_, overrides, reason) => {
      // prepare
      const { worker, worked } = fakeWorker(() => RESULT);
      const { handler, deadLetters } = await setUp(worker);
      const event = anImageUploaded(overrides);

      // act
      const response = await handler(anSqsEvent(anSqsRecord(JSON.stringify(event), 'elsewhere')));

      // assess
      expect(response.batchItemFailures).toEqual([]);
      expect(deadLetters).toEqual([
        { messageId: 'elsewhere', reason: expect.stringMatching(reason) },
      ]);
      expect(deadLetters[0].reason).toMatch(/^PermanentError: /);
      expect(worked).toEqual([]);
      expect(api.received).toEqual([]);
    },
  );

  it('dead-letters a body that is no event, without working on it', async () => {
    const { worker, worked } = fakeWorker(() => RESULT);
    const { handler, deadLetters } = await setUp(worker);

    await handler(anSqsEvent(anSqsRecord('{"hello":"world"}', 'junk')));

    expect(deadLetters).toEqual([
      { messageId: 'junk', reason: expect.stringMatching(/^InvalidMessageError: /) },
    ]);
    expect(worked).toEqual([]);
    expect(api.received).toEqual([]);
  });
});
