import { setTimeout as delay } from 'node:timers/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { reasonOf, toSqsEvent, type FileQueue, type LeasedMessage } from '@gallery/messaging';
import type { BatchLogger } from './batch';
import { recordLogFields } from './record-log-fields';

/** A Lambda handler for SQS batches, called without a Lambda context. */
export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalWorkerOptions {
  queue: FileQueue;
  handler: SqsBatchHandler;
  batchSize?: number;
  /**
   * Batches handled at once, as Lambda runs several invocations on one queue; 1 by default.
   * A new batch is leased as soon as one settles, so a slow record holds back only its own.
   */
  concurrency?: number;
  /** How long to wait after finding the queue empty, unless a message arrives sooner. */
  pollIntervalMs?: number;
  /**
   * How long a failed record stays invisible before it is retried. Lambda leaves it for the
   * rest of its visibility timeout; 0, the default, retries at once.
   */
  retryDelaySeconds?: number;
  logger?: BatchLogger;
  /** Stops the worker once the batches in flight are settled. */
  signal: AbortSignal;
}

interface Failures {
  messageIds: Set<string>;
  reason: string;
}

/**
 * Lambda's SQS event source mapping on a file queue: leases batches, hands each to the
 * handler as an SQS event, deletes what succeeded and releases what failed. Killing the
 * process at any point is safe: its leases expire and the messages are delivered again.
 */
export async function runLocalWorker(options: LocalWorkerOptions): Promise<void> {
  const { queue, batchSize = 10, concurrency = 1, pollIntervalMs = 100, logger, signal } = options;
  const inFlight = new Set<Promise<void>>();
  const arrivals = queue.arrivals(signal);
  while (!signal.aborted) {
    if (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
      continue;
    }
    try {
      const messages = await queue.receive(batchSize);
      if (messages.length === 0) {
        await arrivals.next(pollIntervalMs);
        continue;
      }
      const batch = handleBatch(messages, options)
        // Whatever it did not settle comes back when its lease expires: nothing is lost.
        .catch((error: unknown) =>
          logger?.error(
            { queue: queue.name, reason: reasonOf(error) },
            'local worker batch failed',
          ),
        )
        .finally(() => inFlight.delete(batch));
      inFlight.add(batch);
    } catch (error) {
      // The loop outlives any failure: a full disk or a lost directory may well come back.
      logger?.error({ queue: queue.name, reason: reasonOf(error) }, 'local worker poll failed');
      await pause(pollIntervalMs, signal);
    }
  }
  await Promise.all(inFlight);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // Aborted: the loop sees the signal and stops.
  }
}

async function handleBatch(messages: LeasedMessage[], options: LocalWorkerOptions): Promise<void> {
  const { queue, handler, retryDelaySeconds = 0, logger } = options;
  const event = toSqsEvent(messages, queue.name);
  const failures = await failuresOf(handler, event, logger);
  const settled = await Promise.allSettled(
    messages.map((message) =>
      failures.messageIds.has(message.messageId)
        ? queue.release(message.receiptHandle, failures.reason, {
            delaySeconds: retryDelaySeconds,
          })
        : queue.delete(message.receiptHandle),
    ),
  );
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    // The lease expires in its time and the message comes back: nothing is lost.
    logger?.error(
      { ...recordLogFields(event.Records[index]), reason: reasonOf(result.reason) },
      'could not settle a message',
    );
  });
}

/** What Lambda would retry: the reported records, or every record if the handler threw. */
async function failuresOf(
  handler: SqsBatchHandler,
  event: SQSEvent,
  logger: BatchLogger | undefined,
): Promise<Failures> {
  const all = new Set(event.Records.map((record) => record.messageId));
  try {
    const response = await handler(event);
    const reported = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
    if (reported.every((messageId) => all.has(messageId))) {
      return { messageIds: new Set(reported), reason: 'reported in batchItemFailures' };
    }
    // Lambda fails the whole batch when a reported identifier is not one of its records.
    logger?.error({ reported }, 'batchItemFailures named an unknown record');
    return { messageIds: all, reason: 'batchItemFailures named an unknown record' };
  } catch (error) {
    const reason = reasonOf(error);
    logger?.error(
      { reason, records: all.size },
      'batch handler threw, every record will be retried',
    );
    return { messageIds: all, reason };
  }
}
