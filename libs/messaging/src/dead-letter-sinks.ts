import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterSink } from './dead-letter';
import type { FileQueue } from './file-queue';

/** SQS attribute values are capped in size; a reason is for people, its start is enough. */
const MAX_REASON_LENGTH = 1000;

/** Dead-letters a record of a file queue into that queue's `dead/` directory. */
export function createFileDeadLetterSink(queue: FileQueue): DeadLetterSink {
  return {
    send: (record, reason) => queue.deadLetter(record.receiptHandle, reason),
  };
}

export interface SqsDeadLetterSinkOptions {
  /**
   * Made once and reused. Unset: made at the first dead letter with the SDK's defaults, so a
   * worker whose records all succeed never loads the SDK's SQS module.
   */
  client?: SQSClient;
  /** The source queue's dead-letter queue. */
  queueUrl: string;
}

/**
 * Sends a record to the dead-letter queue with its reason. The source queue's copy is then
 * deleted like any handled record, so it never counts down its receives in vain.
 */
export function createSqsDeadLetterSink({
  client,
  queueUrl,
}: SqsDeadLetterSinkOptions): DeadLetterSink {
  let sqs = client;
  return {
    async send(record, reason) {
      const { SendMessageCommand, SQSClient } = await import('./sqs-sdk');
      sqs ??= new SQSClient({});
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: record.body,
          MessageAttributes: {
            // SQS refuses an empty attribute value.
            reason: {
              DataType: 'String',
              StringValue: reason.slice(0, MAX_REASON_LENGTH) || 'no reason given',
            },
            sourceMessageId: { DataType: 'String', StringValue: record.messageId },
            receiveCount: {
              DataType: 'Number',
              StringValue: record.attributes.ApproximateReceiveCount,
            },
          },
        }),
      );
    },
  };
}
