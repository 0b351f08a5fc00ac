import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isPermanent, reasonOf, type DeadLetterSink } from '@gallery/messaging';
import { recordLogFields } from './record-log-fields';

/** What a record handler did: its work, or nothing because the work was already done. */
export type RecordOutcome = 'done' | 'skipped';

export type RecordHandler = (record: SQSRecord) => Promise<RecordOutcome>;

export interface BatchLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface BatchOptions {
  deadLetters: DeadLetterSink;
  logger?: BatchLogger;
}

/**
 * Wraps a record handler so that a permanent failure is dead-lettered at once with its
 * reason and counts as handled; any other failure still throws, to be retried.
 */
export function deadLetterPermanentFailures(
  recordHandler: RecordHandler,
  { deadLetters, logger }: BatchOptions,
): RecordHandler {
  return async (record) => {
    const fields = recordLogFields(record);
    logger?.info(fields, 'record received');
    try {
      const outcome = await recordHandler(record);
      logger?.info({ ...fields, outcome }, 'record processed');
      return outcome;
    } catch (error) {
      const reason = reasonOf(error);
      if (!isPermanent(error)) {
        logger?.error({ ...fields, reason }, 'record failed, will be retried');
        throw error;
      }
      await deadLetters.send(record, reason);
      logger?.error({ ...fields, reason }, 'record dead-lettered');
      return 'skipped';
    }
  };
}

/**
 * Runs every record of an SQS batch on its own (Powertools' batch processor, records in
 * parallel) and reports only the failed ones in `batchItemFailures`, so one bad record
 * never fails its siblings and a failed batch is never thrown whole.
 */
export function processBatch(
  event: SQSEvent,
  recordHandler: RecordHandler,
  options: BatchOptions,
): Promise<SQSBatchResponse> {
  // A processor holds the state of one batch: a new one per call keeps calls independent.
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    deadLetterPermanentFailures(recordHandler, options),
    processor,
    {
      throwOnFullBatchFailure: false,
    },
  );
}
