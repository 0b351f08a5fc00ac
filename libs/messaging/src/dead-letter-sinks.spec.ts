import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { useTempDir } from '../test/support';
import { createFileDeadLetterSink, createSqsDeadLetterSink } from './dead-letter-sinks';
import { createFileQueue } from './file-queue';
import { toSqsEvent } from './sqs-event';

const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/gallery-thumbnails-dlq';

describe('createSqsDeadLetterSink', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());

  const aRecord = () => {
    const [record] = toSqsEvent(
      [
        {
          messageId: 'source-1',
          receiptHandle: 'rh',
          body: '{"imageId":"a"}',
          attributes: { type: 'image.uploaded' },
          receiveCount: 3,
          sentAt: 0,
          firstReceivedAt: 0,
        },
      ],
      'thumbnails',
    ).Records;
    return record;
  };

  it('sends the record body to the dead-letter queue with reason, source id and receive count', async () => {
    // prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const sink = createSqsDeadLetterSink({
      client: new SQSClient({ region: 'eu-west-1' }),
      queueUrl,
    });
    // act
    await sink.send(aRecord(), 'PermanentError: not a decodable image');
    // assess
    expect(sqs.calls()).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageCommand)[0].args[0].input).toEqual({
      QueueUrl: queueUrl,
      MessageBody: '{"imageId":"a"}',
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: 'PermanentError: not a decodable image' },
        sourceMessageId: { DataType: 'String', StringValue: 'source-1' },
        receiveCount: { DataType: 'Number', StringValue: '3' },
      },
    });
  });

  it('cuts a long reason to its first 1000 characters', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const sink = createSqsDeadLetterSink({
      client: new SQSClient({ region: 'eu-west-1' }),
      queueUrl,
    });
    await sink.send(aRecord(), `Error: ${'x'.repeat(5000)}`);
    const input = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
    expect(input.MessageAttributes?.reason.StringValue).toBe(`Error: ${'x'.repeat(993)}`);
  });

  it('makes a client of its own at the first dead letter when given none', async () => {
    // prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const sink = createSqsDeadLetterSink({ queueUrl });
    // act
    await sink.send(aRecord(), 'PermanentError: first');
    await sink.send(aRecord(), 'PermanentError: second');
    // assess
    expect(
      sqs
        .commandCalls(SendMessageCommand)
        .map((call) => [
          call.args[0].input.QueueUrl,
          call.args[0].input.MessageAttributes?.reason.StringValue,
        ]),
    ).toEqual([
      [queueUrl, 'PermanentError: first'],
      [queueUrl, 'PermanentError: second'],
    ]);
  });

  it('fails when the dead-letter queue refuses, so the record is retried', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    const sink = createSqsDeadLetterSink({
      client: new SQSClient({ region: 'eu-west-1' }),
      queueUrl,
    });
    await expect(sink.send(aRecord(), 'bad')).rejects.toThrow('AccessDenied');
  });
});

describe('createFileDeadLetterSink', () => {
  const tempDir = useTempDir();

  it('moves the record it is given to the dead letters of its queue, with the reason', async () => {
    // prepare
    const queue = createFileQueue({ dir: join(tempDir(), 'tags') });
    const messageId = await queue.send('corrupt');
    const [record] = toSqsEvent(await queue.receive(), queue.name).Records;
    const sink = createFileDeadLetterSink(queue);
    // act
    await sink.send(record, 'InvalidMessageError: not JSON');
    // assess
    expect(await queue.listDeadLetters()).toEqual([
      expect.objectContaining({
        messageId,
        reason: 'InvalidMessageError: not JSON',
        queue: 'tags',
      }),
    ]);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 1 });
  });
});
