import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetterSink } from './dead-letter';
import { isPermanent, reasonOf } from './errors';

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
 * Runs every record of a batch on its own and reports only the failed ones in
 * `batchItemFailures`, so one bad record never fails its siblings. A permanent failure is
 * dead-lettered at once with its reason and counted as handled; any other failure is
 * reported for retry. Records run concurrently: each is independent.
 */
export async function processPartialResponse(
  event: SQSEvent,
  recordHandler: RecordHandler,
  { deadLetters, logger }: BatchOptions,
): Promise<SQSBatchResponse> {
  const results = await Promise.all(
    event.Records.map(async (record) => {
      try {
        const outcome = await recordHandler(record);
        logger?.info({ messageId: record.messageId, outcome }, 'record processed');
        return null;
      } catch (error) {
        const reason = reasonOf(error);
        if (isPermanent(error)) {
          try {
            await deadLetters.send(record, reason);
            logger?.error({ messageId: record.messageId, reason }, 'record dead-lettered');
            return null;
          } catch (sinkError) {
            logger?.error(
              { messageId: record.messageId, reason, sinkError: reasonOf(sinkError) },
              'dead-lettering failed',
            );
            return record.messageId;
          }
        }
        logger?.error({ messageId: record.messageId, reason }, 'record failed, will be retried');
        return record.messageId;
      }
    }),
  );
  return {
    batchItemFailures: results
      .filter((id): id is string => id !== null)
      .map((itemIdentifier) => ({ itemIdentifier })),
  };
}
