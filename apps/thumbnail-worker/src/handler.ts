import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from 'pino';
import { processBatch, type DeadLetterSink, type RecordHandler } from '@gallery/messaging';

export interface HandlerDeps {
  recordHandler: RecordHandler;
  deadLetters: DeadLetterSink;
  logger: Logger;
}

/**
 * The SQS batch handler, the same in Lambda and in the local runner: records are handled
 * on their own, a permanent failure is dead-lettered at once, only retryable ones are
 * reported in `batchItemFailures`.
 */
export function createHandler({ recordHandler, deadLetters, logger }: HandlerDeps): BatchHandler {
  return (event) => processBatch(event, recordHandler, { deadLetters, logger });
}

export type BatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;
