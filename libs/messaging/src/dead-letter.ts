import type { SQSRecord } from 'aws-lambda';

/**
 * Where a record that failed for good goes at once, with its reason: the queue's DLQ in
 * AWS, the queue's dead-letter directory locally.
 */
export interface DeadLetterSink {
  send(record: SQSRecord, reason: string): Promise<void>;
}
