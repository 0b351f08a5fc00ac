import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import type { ImageUploaded } from '@gallery/message-schema';
import { originalKey } from '@gallery/storage';

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
    eventSourceARN: 'arn:aws:sqs:local:0:thumbnails',
    awsRegion: 'local',
  };
}

/** The body SNS delivers without raw message delivery: the event as a string inside. */
export const inSnsEnvelope = (event: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:local:0:images',
    Message: JSON.stringify(event),
  });
