import { createHash } from 'node:crypto';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { LeasedMessage } from './file-queue';

const REGION = 'local';
const ACCOUNT = '000000000000';

export const localQueueArn = (queueName: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`;

/**
 * The event Lambda's SQS event source would hand a function for these messages (raw
 * message delivery), so the same handler runs on a file queue.
 */
export function toSqsEvent(messages: LeasedMessage[], queueName: string): SQSEvent {
  const eventSourceARN = localQueueArn(queueName);
  return { Records: messages.map((message) => toSqsRecord(message, eventSourceARN)) };
}

function toSqsRecord(message: LeasedMessage, eventSourceARN: string): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, stringValue] of Object.entries(message.attributes)) {
    messageAttributes[name] = {
      stringValue,
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: ACCOUNT,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes,
    md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: REGION,
  };
}
