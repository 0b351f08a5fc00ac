import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { createFileQueue } from '@gallery/messaging';
import { useTempDir } from '@gallery/messaging/testing';
import type { SqsBatchHandler } from './local-runner';
import { runUntilStopped } from './run-until-stopped';

function recordingLogger() {
  const lines: string[] = [];
  const record = (_: object, message: string) => void lines.push(message);
  return { logger: { info: record, error: record }, lines };
}

describe('runUntilStopped', () => {
  const tempDir = useTempDir();
  const aQueue = () => createFileQueue({ dir: join(tempDir(), 'thumbnails') });
  const config = { pollIntervalMs: 5, visibilityTimeoutSeconds: 30 };

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'handles what is queued until %s, then finishes the batch in flight and lets go of the signals',
    async (signal) => {
      // prepare
      const queue = aQueue();
      await queue.send('one');
      await queue.send('another');
      const signals = new EventEmitter();
      const { logger, lines } = recordingLogger();
      const events: SQSEvent[] = [];
      const handler: SqsBatchHandler = async (event) => {
        events.push(event);
        signals.emit(signal);
        return { batchItemFailures: [] };
      };

      // act
      await runUntilStopped({
        name: 'test worker',
        queue,
        handler,
        logger,
        batchSize: 1,
        config,
        signals,
      });

      // assess
      expect(events.map((event) => event.Records.length)).toEqual([1]);
      expect(await queue.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
      expect(lines).toEqual([
        'test worker started',
        'stopping after the batch in flight',
        'test worker stopped',
      ]);
      expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    },
  );

  it('leases nothing until it is ready', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('waiting');
    const signals = new EventEmitter();
    const { logger } = recordingLogger();
    const countsWhileGettingReady: unknown[] = [];
    const ready = async () => void countsWhileGettingReady.push(await queue.counts());
    const handler: SqsBatchHandler = async () => void signals.emit('SIGTERM');

    // act
    await runUntilStopped({
      name: 'w',
      queue,
      handler,
      logger,
      batchSize: 1,
      config,
      ready,
      signals,
    });

    // assess
    expect(countsWhileGettingReady).toEqual([{ ready: 1, leased: 0, dead: 0 }]);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('hands the runner its concurrency: batches run side by side', async () => {
    // prepare
    const queue = aQueue();
    await queue.send('one');
    await queue.send('another');
    const signals = new EventEmitter();
    const { logger } = recordingLogger();
    let inFlight = 0;
    let mostInFlight = 0;
    let bothStarted!: () => void;
    const started = new Promise<void>((resolve) => (bothStarted = resolve));
    const handler: SqsBatchHandler = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      if (inFlight === 2) bothStarted();
      // One batch at a time would wait here for ever, and the test would time out.
      await started;
      inFlight -= 1;
      signals.emit('SIGTERM');
    };

    // act
    await runUntilStopped({
      name: 'w',
      queue,
      handler,
      logger,
      batchSize: 1,
      concurrency: 2,
      config,
      signals,
    });

    // assess
    expect(mostInFlight).toBe(2);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('keeps a failed record out of sight for the visibility timeout, as Lambda does', async () => {
    // prepare
    const queue = aQueue();
    const messageId = await queue.send('flaky');
    const signals = new EventEmitter();
    const { logger } = recordingLogger();
    const handler: SqsBatchHandler = async () => {
      signals.emit('SIGTERM');
      return { batchItemFailures: [{ itemIdentifier: messageId }] };
    };

    // act
    await runUntilStopped({ name: 'w', queue, handler, logger, batchSize: 1, config, signals });

    // assess
    expect(await queue.receive(10)).toEqual([]);
    expect(await queue.counts()).toMatchObject({ dead: 0 });
  });
});
