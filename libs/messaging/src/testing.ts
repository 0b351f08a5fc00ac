import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import pino from 'pino';
import type { ImageUploaded } from '@gallery/message-schema';
import { originalKey } from '@gallery/storage';
import type { DeadLetterSink } from './dead-letter';
import { localQueueArn } from './sqs-event';

// Test support, imported as `@gallery/messaging/testing` by specs only, never by the index.

/** A valid `image.uploaded` event of a fresh image, its original in bucket `test`. */
export function anImageUploaded(overrides: Partial<ImageUploaded> = {}): ImageUploaded {
  const imageId = overrides.imageId ?? randomUUID();
  return {
    type: 'image.uploaded',
    version: 1,
    eventId: randomUUID(),
    imageId,
    bucket: 'test',
    key: originalKey(imageId),
    contentType: 'image/jpeg',
    size: 1,
    uploadedAt: new Date().toISOString(),
    correlationId: `req-${imageId.slice(0, 8)}`,
    ...overrides,
  };
}

/** A record as Lambda's SQS event source hands it over, received for the first time. */
export function anSqsRecord(body: string, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: localQueueArn('test'),
    awsRegion: 'local',
  };
}

export const anSqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** The body SNS delivers without raw message delivery: the event as a string inside. */
export const inSnsEnvelope = (event: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:local:0:images',
    Message: JSON.stringify(event),
  });

/** A dead-letter sink that keeps what it is sent. */
export function collectingDeadLetters() {
  const sent: { messageId: string; reason: string }[] = [];
  const sink: DeadLetterSink = {
    send: async (record, reason) => void sent.push({ messageId: record.messageId, reason }),
  };
  return { sink, sent };
}

/** A logger that keeps quiet: tests assess outcomes, not log lines. */
export const silentLogger = pino({ level: 'silent' });

const SQS_ACCOUNT_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012';

/** The ARN of an SQS queue of the account the SQS fixtures use. */
export const sqsArn = (queueName: string) => `arn:aws:sqs:eu-west-1:123456789012:${queueName}`;

/** A processor's queue and its DLQ as `createSqsDeadLetters` takes them, in stack `gallery`. */
export const sqsSubscriberQueue = (name: string) => ({
  name,
  queueUrl: `${SQS_ACCOUNT_URL}/gallery-${name}`,
  deadLetterQueueUrl: `${SQS_ACCOUNT_URL}/gallery-${name}-dlq`,
});

/** The ReceiveMessage input that peeks at a DLQ without hiding anything. */
export const deadLetterPeekInput = (deadLetterQueueUrl: string) => ({
  QueueUrl: deadLetterQueueUrl,
  MaxNumberOfMessages: 10,
  VisibilityTimeout: 0,
  WaitTimeSeconds: 0,
  MessageAttributeNames: ['All'],
  MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
});

/** Resolves once the condition holds; a condition that never holds fails by Jest's timeout. */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A fresh temporary directory for each test of the calling suite, removed after it. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gallery-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
