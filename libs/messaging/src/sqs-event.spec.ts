import { createHash } from 'node:crypto';
import type { LeasedMessage } from './file-queue';
import { toSqsEvent } from './sqs-event';

const aMessage = (overrides: Partial<LeasedMessage> = {}): LeasedMessage => ({
  messageId: '6f1c1c1e-2c4f-4a57-9d43-0d1d5f0d2f6a',
  receiptHandle: 'handle-1',
  body: '{"type":"image.uploaded"}',
  attributes: { type: 'image.uploaded' },
  receiveCount: 2,
  sentAt: 1_735_689_600_000,
  firstReceivedAt: 1_735_689_601_000,
  ...overrides,
});

describe('toSqsEvent', () => {
  it('shapes each leased message like a raw-delivery record of an SQS event source', () => {
    // prepare
    const message = aMessage();
    // act
    const event = toSqsEvent([message], 'thumbnails');
    // assess
    expect(event).toEqual({
      Records: [
        {
          messageId: message.messageId,
          receiptHandle: 'handle-1',
          body: '{"type":"image.uploaded"}',
          attributes: {
            ApproximateReceiveCount: '2',
            SentTimestamp: '1735689600000',
            SenderId: '000000000000',
            ApproximateFirstReceiveTimestamp: '1735689601000',
          },
          messageAttributes: {
            type: {
              stringValue: 'image.uploaded',
              stringListValues: [],
              binaryListValues: [],
              dataType: 'String',
            },
          },
          md5OfBody: createHash('md5').update('{"type":"image.uploaded"}').digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:000000000000:thumbnails',
          awsRegion: 'local',
        },
      ],
    });
  });

  it('keeps the order of the messages and gives a message without attributes none', () => {
    const event = toSqsEvent(
      [aMessage({ messageId: 'a', attributes: {} }), aMessage({ messageId: 'b' })],
      'tags',
    );
    expect(event.Records.map((record) => record.messageId)).toEqual(['a', 'b']);
    expect(event.Records[0].messageAttributes).toEqual({});
  });
});
