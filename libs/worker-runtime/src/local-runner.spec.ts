import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { join } from 'node:path';
import {
  createFileDeadLetterSink,
  createFileQueue,
  PermanentError,
  type FileQueue,
} from '@gallery/messaging';
import { until, useTempDir } from '@gallery/messaging/testing';
import { processBatch } from './batch';
import { runLocalWorker, type SqsBatchHandler } from './local-runner';

const failuresFor = (event: SQSEvent, bodies: string[]): SQSBatchResponse => ({
  batchItemFailures: event.Records.filter((record) => bodies.includes(record.body)).map(
    (record) => ({ itemIdentifier: record.messageId }),
  ),
});

function recordingLogger() {
  const errors: string[] = [];
  return {
    logger: {
      info: () => undefined,
      error: (_: object, message: string) => void errors.push(message),
    },
    errors,
  };
}

describe('runLocalWorker', () => {
  const tempDir = useTempDir();
  const aQueue = (maxReceiveCount = 5) =>
    createFileQueue({ dir: join(tempDir(), 'thumbnails'), maxReceiveCount });

  /** Runs the worker until the handler has been called `calls` times, then stops it. */
  async function runFor(queue: FileQueue, calls: number, handler: SqsBatchHandler) {
    const controller = new AbortController();
    const events: SQSEvent[] = [];
    const { logger, errors } = recordingLogger();
    await runLocalWorker({
      queue,
      logger,
      pollIntervalMs: 5,
      signal: controller.signal,
      handler: async (event) => {
        events.push(event);
        if (events.length === calls) controller.abort();
        return handler(event);
      },
    });
    return { events, errors };
  }

  it('hands the handler an SQS event of the leased messages', async () => {
    const queue = aQueue();
    const messageId = await queue.send('{"imageId":"a"}', { type: 'image.uploaded' });
    const { events } = await runFor(queue, 1, async () => ({ batchItemFailures: [] }));
    expect(events[0].Records).toEqual([
      expect.objectContaining({
        messageId,
        body: '{"imageId":"a"}',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:thumbnails',
        attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      }),
    ]);
  });

  it('deletes the records that succeeded and releases those reported as failed', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('ok');
    const failedId = await queue.send('flaky');
    await queue.send('also ok');
    // act
    await runFor(queue, 1, async (event) => failuresFor(event, ['flaky']));
    // assess
    expect(await queue.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
    expect(await queue.receive()).toEqual([
      expect.objectContaining({ messageId: failedId, receiveCount: 2 }),
    ]);
  });

  it('treats a handler that returns nothing as a batch that fully succeeded', async () => {
    const queue = aQueue();
    await queue.send('a');
    await queue.send('b');
    await runFor(queue, 1, async () => undefined);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('releases the whole batch when the handler throws, and logs why', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('a');
    await queue.send('b');
    // act
    const { errors } = await runFor(queue, 1, async () => {
      throw new Error('out of memory');
    });
    // assess
    expect(await queue.counts()).toEqual({ ready: 2, leased: 0, dead: 0 });
    expect(errors).toEqual(['batch handler threw, every record will be retried']);
  });

  it('releases the whole batch when the response names a record not in it, as Lambda does', async () => {
    const queue = aQueue();
    await queue.send('a');
    await queue.send('b');
    await runFor(queue, 1, async () => ({ batchItemFailures: [{ itemIdentifier: 'unknown' }] }));
    expect(await queue.counts()).toEqual({ ready: 2, leased: 0, dead: 0 });
  });

  it('finishes the batch in flight when stopped, then leaves the rest queued', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('first');
    await queue.send('second');
    const controller = new AbortController();
    let markStarted!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (markStarted = resolve));
    let finishBatch!: () => void;
    const batchFinished = new Promise<void>((resolve) => (finishBatch = resolve));
    let handled = 0;
    const stopped = runLocalWorker({
      queue,
      batchSize: 1,
      pollIntervalMs: 5,
      signal: controller.signal,
      handler: async () => {
        markStarted();
        await batchFinished;
        handled += 1;
      },
    });
    await handlerStarted;
    // act
    controller.abort();
    finishBatch();
    await stopped;
    // assess
    expect(handled).toBe(1);
    expect(await queue.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
  });

  /**
   * Runs the worker one record per batch, `concurrency` batches at once, with a handler whose
   * calls each wait until released by their record's body. Stopped after each test whatever
   * happened, so that a failed expectation never leaves it polling.
   */
  const stopAfterTest: Array<() => void> = [];
  afterEach(() => stopAfterTest.splice(0).forEach((stop) => stop()));
  function runHeld(queue: FileQueue, concurrency: number) {
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const release = (body: string) => releases.get(body)?.();
    const controller = new AbortController();
    const stopped = runLocalWorker({
      queue,
      batchSize: 1,
      concurrency,
      pollIntervalMs: 5,
      signal: controller.signal,
      handler: async (event) => {
        const body = event.Records[0].body;
        started.push(body);
        await new Promise<void>((resolve) => releases.set(body, resolve));
      },
    });
    stopAfterTest.push(() => {
      controller.abort();
      releases.forEach((resolve) => resolve());
    });
    return { started, release, stop: () => controller.abort(), stopped };
  }

  it('handles up to `concurrency` batches at once and leases the next as one settles', async () => {
    // prepare
    const queue = aQueue();
    for (const body of ['first', 'second', 'third']) await queue.send(body);
    const { started, release, stop, stopped } = runHeld(queue, 2);
    await until(() => started.length === 2);
    const countsWhileTwoWereHeld = await queue.counts();

    // act
    release(started[0]);
    await until(() => started.length === 3);

    // assess
    expect(countsWhileTwoWereHeld).toEqual({ ready: 1, leased: 2, dead: 0 });
    expect([...started].sort()).toEqual(['first', 'second', 'third']);
    stop();
    started.slice(1).forEach(release);
    await stopped;
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('settles every batch in flight when stopped, then leaves the rest queued', async () => {
    // prepare
    const queue = aQueue();
    for (const body of ['first', 'second', 'third']) await queue.send(body);
    const { started, release, stop, stopped } = runHeld(queue, 2);
    await until(() => started.length === 2);

    // act
    stop();
    [...started].reverse().forEach(release);
    await stopped;

    // assess
    expect(started).toHaveLength(2);
    expect(await queue.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
  });

  it('stops at once when aborted while waiting on an empty queue', async () => {
    const controller = new AbortController();
    const stopped = runLocalWorker({
      queue: aQueue(),
      pollIntervalMs: 3_600_000,
      signal: controller.signal,
      handler: async () => undefined,
    });
    controller.abort();
    await expect(stopped).resolves.toBeUndefined();
  });

  it('dead-letters a message whose handler keeps failing after maxReceiveCount receives', async () => {
    // prepare
    const queue = aQueue(3);
    const messageId = await queue.send('never works');
    const controller = new AbortController();
    const receiveCounts: string[] = [];
    // act
    const stopped = runLocalWorker({
      queue,
      pollIntervalMs: 5,
      signal: controller.signal,
      handler: async (event) => {
        receiveCounts.push(event.Records[0].attributes.ApproximateReceiveCount);
        return failuresFor(event, ['never works']);
      },
    });
    await until(async () => (await queue.counts()).dead === 1);
    controller.abort();
    await stopped;
    // assess
    expect(receiveCounts).toEqual(['1', '2', '3']);
    expect(await queue.listDeadLetters()).toEqual([
      expect.objectContaining({
        messageId,
        reason: 'exceeded maxReceiveCount (3)',
        lastError: 'reported in batchItemFailures',
      }),
    ]);
  });

  it('dead-letters a permanent failure at once through processBatch and the file sink', async () => {
    // prepare
    const queue = aQueue();
    const messageId = await queue.send('corrupt');
    await queue.send('fine');
    const deadLetters = createFileDeadLetterSink(queue);
    // act
    await runFor(queue, 1, (event) =>
      processBatch(
        event,
        async (record) => {
          if (record.body === 'corrupt') throw new PermanentError('not a decodable image');
          return 'done';
        },
        { deadLetters },
      ),
    );
    // assess
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 1 });
    expect(await queue.listDeadLetters()).toEqual([
      expect.objectContaining({ messageId, reason: 'PermanentError: not a decodable image' }),
    ]);
  });

  it('wakes on a message sent while it waits on the empty queue, without waiting out its poll', async () => {
    // prepare: a poll interval longer than Jest's timeout, so only the wake can pass
    const queue = aQueue();
    let emptyReceives = 0;
    const counting: FileQueue = {
      ...queue,
      receive: async (max) => {
        const messages = await queue.receive(max);
        if (messages.length === 0) emptyReceives++;
        return messages;
      },
    };
    const stop = new AbortController();
    const handled: string[] = [];
    const running = runLocalWorker({
      queue: counting,
      pollIntervalMs: 60_000,
      signal: stop.signal,
      handler: async (event) => {
        handled.push(...event.Records.map((record) => record.body));
        stop.abort();
      },
    });
    await until(() => emptyReceives > 0);
    // act
    await queue.send('sent while idle');
    await running;
    // assess
    expect(handled).toEqual(['sent while idle']);
  });

  it('keeps polling after the queue fails to receive', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('eventually handled');
    const failingOnce: FileQueue = {
      ...queue,
      receive: jest
        .fn()
        .mockRejectedValueOnce(new Error('EMFILE: too many open files'))
        .mockImplementation(queue.receive),
    };
    // act
    const { events, errors } = await runFor(failingOnce, 1, async () => undefined);
    // assess
    expect(errors).toEqual(['local worker poll failed']);
    expect(events[0].Records.map((record) => record.body)).toEqual(['eventually handled']);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });
});
