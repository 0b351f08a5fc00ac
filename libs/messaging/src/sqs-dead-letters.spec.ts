import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { RedriveInProgressError } from './dead-letters';
import { createSqsDeadLetters, EXCEEDED_MAX_RECEIVE_COUNT } from './sqs-dead-letters';
import { anImageUploaded, deadLetterPeekInput, sqsArn, sqsSubscriberQueue } from './testing';

const thumbnails = sqsSubscriberQueue('thumbnails');
const tags = sqsSubscriberQueue('tags');
const arn = sqsArn;
const peekInput = deadLetterPeekInput;

/** A DLQ message as the SQS dead-letter sink sends it: reason, source id and count attached. */
function sentBySink(
  messageId: string,
  body: string,
  { reason, sourceMessageId, receiveCount, sentAt }: Record<string, string>,
): Message {
  return {
    MessageId: messageId,
    ReceiptHandle: `rh-${messageId}`,
    Body: body,
    Attributes: { ApproximateReceiveCount: '1', SentTimestamp: sentAt },
    MessageAttributes: {
      reason: { DataType: 'String', StringValue: reason },
      sourceMessageId: { DataType: 'String', StringValue: sourceMessageId },
      receiveCount: { DataType: 'Number', StringValue: receiveCount },
    },
  };
}

const plain = (messageId: string): Message => ({
  MessageId: messageId,
  ReceiptHandle: `rh-${messageId}`,
  Body: 'x',
  Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0' },
});
const plainRange = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => plain(`m-${from + i}`));

describe('createSqsDeadLetters', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());

  const client = () => new SQSClient({ region: 'eu-west-1' });
  const inputsOf = <Input extends object>(command: new (input: Input) => unknown) =>
    sqs
      .commandCalls(command as never)
      .map((call) => (call.args[0] as unknown as { input: Input }).input);

  describe('list', () => {
    it('peeks at every DLQ without hiding anything and lists what the sink sent, newest first', async () => {
      // prepare
      const event = anImageUploaded();
      sqs
        .on(ReceiveMessageCommand, { QueueUrl: thumbnails.deadLetterQueueUrl })
        .resolvesOnce({
          Messages: [
            sentBySink('dlq-1', JSON.stringify(event), {
              reason: 'PermanentError: not a decodable image',
              sourceMessageId: 'source-1',
              receiveCount: '1',
              sentAt: String(Date.parse('2026-03-01T12:00:00Z')),
            }),
          ],
        })
        .resolves({});
      sqs
        .on(ReceiveMessageCommand, { QueueUrl: tags.deadLetterQueueUrl })
        .resolvesOnce({
          Messages: [
            sentBySink('dlq-2', '{"not":"an event"', {
              reason: 'InvalidMessageError: body is not JSON',
              sourceMessageId: 'source-2',
              receiveCount: '3',
              sentAt: String(Date.parse('2026-03-01T12:00:05Z')),
            }),
          ],
        })
        .resolves({});
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
      // act
      const failures = await deadLetters.list();
      // assess
      expect(failures).toEqual([
        {
          queue: 'tags',
          messageId: 'source-2',
          imageId: null,
          reason: 'InvalidMessageError: body is not JSON',
          receiveCount: 3,
          deadLetteredAt: '2026-03-01T12:00:05.000Z',
        },
        {
          queue: 'thumbnails',
          messageId: 'source-1',
          imageId: event.imageId,
          reason: 'PermanentError: not a decodable image',
          receiveCount: 1,
          deadLetteredAt: '2026-03-01T12:00:00.000Z',
        },
      ]);
      // One page each, then an empty one.
      const byQueue = inputsOf(ReceiveMessageCommand).sort((a, b) =>
        String(a.QueueUrl).localeCompare(String(b.QueueUrl)),
      );
      expect(byQueue).toEqual([
        peekInput(tags.deadLetterQueueUrl),
        peekInput(tags.deadLetterQueueUrl),
        peekInput(thumbnails.deadLetterQueueUrl),
        peekInput(thumbnails.deadLetterQueueUrl),
      ]);
    });

    it('says a message SQS moved itself exceeded maxReceiveCount and takes SQS’s receive count', async () => {
      // prepare
      const event = anImageUploaded();
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({
          Messages: [
            {
              MessageId: 'source-7',
              ReceiptHandle: 'rh',
              Body: JSON.stringify(event),
              Attributes: { ApproximateReceiveCount: '6', SentTimestamp: '1772366400000' },
            },
          ],
        })
        .resolves({});
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails] });
      // act
      const failures = await deadLetters.list();
      // assess
      expect(failures).toEqual([
        {
          queue: 'thumbnails',
          messageId: 'source-7',
          imageId: event.imageId,
          reason: EXCEEDED_MAX_RECEIVE_COUNT,
          receiveCount: 6,
          deadLetteredAt: '2026-03-01T12:00:00.000Z',
        },
      ]);
    });

    it('keeps receiving until a page brings nothing new, counting each message once', async () => {
      // prepare: nothing is hidden, so later pages hand out messages already seen
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: plainRange(1, 10) })
        .resolvesOnce({ Messages: [...plainRange(6, 10), ...plainRange(11, 12)] })
        .resolvesOnce({ Messages: plainRange(1, 4) })
        .resolves({ Messages: plainRange(13, 14) });
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails] });
      // act
      const failures = await deadLetters.list();
      // assess
      expect(failures.map((failure) => failure.messageId).sort()).toEqual(
        plainRange(1, 12)
          .map((message) => message.MessageId)
          .sort(),
      );
      expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(3);
    });

    it('stops at an empty page', async () => {
      // prepare
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: plainRange(1, 3) })
        .resolvesOnce({ Messages: [] })
        .resolves({ Messages: plainRange(4, 5) });
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails] });
      // act
      const failures = await deadLetters.list();
      // assess
      expect(failures).toHaveLength(3);
      expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
    });

    it('lists no more than the sample size of a queue however many it holds', async () => {
      // prepare
      let next = 0;
      sqs.on(ReceiveMessageCommand).callsFake(() => {
        next += 10;
        return { Messages: plainRange(next - 9, next) };
      });
      const deadLetters = createSqsDeadLetters({
        client: client(),
        queues: [thumbnails],
        sampleSize: 25,
      });
      // act
      const failures = await deadLetters.list();
      // assess
      expect(failures).toHaveLength(25);
      expect(new Set(failures.map((failure) => failure.messageId)).size).toBe(25);
      expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(3);
    });
  });

  describe('redrive', () => {
    function queuesWith(waiting: { thumbnails: string; tags: string }) {
      sqs
        .on(GetQueueAttributesCommand, { QueueUrl: thumbnails.deadLetterQueueUrl })
        .resolves({
          Attributes: {
            QueueArn: arn('gallery-thumbnails-dlq'),
            ApproximateNumberOfMessages: waiting.thumbnails,
          },
        })
        .on(GetQueueAttributesCommand, { QueueUrl: thumbnails.queueUrl })
        .resolves({ Attributes: { QueueArn: arn('gallery-thumbnails') } })
        .on(GetQueueAttributesCommand, { QueueUrl: tags.deadLetterQueueUrl })
        .resolves({
          Attributes: {
            QueueArn: arn('gallery-tags-dlq'),
            ApproximateNumberOfMessages: waiting.tags,
          },
        })
        .on(GetQueueAttributesCommand, { QueueUrl: tags.queueUrl })
        .resolves({ Attributes: { QueueArn: arn('gallery-tags') } });
    }

    it('starts a move task from each DLQ to its source queue and counts what waited', async () => {
      // prepare
      queuesWith({ thumbnails: '3', tags: '2' });
      sqs.on(ListMessageMoveTasksCommand).resolves({
        Results: [{ Status: 'COMPLETED', SourceArn: arn('gallery-thumbnails-dlq') }],
      });
      sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task' });
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
      // act
      const moved = await deadLetters.redrive();
      // assess
      expect(moved).toBe(5);
      expect(inputsOf(GetQueueAttributesCommand)).toHaveLength(4);
      expect(inputsOf(GetQueueAttributesCommand)).toEqual(
        expect.arrayContaining([
          {
            QueueUrl: thumbnails.deadLetterQueueUrl,
            AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
          },
          { QueueUrl: thumbnails.queueUrl, AttributeNames: ['QueueArn'] },
          {
            QueueUrl: tags.deadLetterQueueUrl,
            AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
          },
          { QueueUrl: tags.queueUrl, AttributeNames: ['QueueArn'] },
        ]),
      );
      expect(inputsOf(ListMessageMoveTasksCommand)).toEqual(
        expect.arrayContaining([
          { SourceArn: arn('gallery-thumbnails-dlq'), MaxResults: 1 },
          { SourceArn: arn('gallery-tags-dlq'), MaxResults: 1 },
        ]),
      );
      expect(inputsOf(StartMessageMoveTaskCommand)).toEqual([
        { SourceArn: arn('gallery-thumbnails-dlq'), DestinationArn: arn('gallery-thumbnails') },
        { SourceArn: arn('gallery-tags-dlq'), DestinationArn: arn('gallery-tags') },
      ]);
    });

    it('starts no task for an empty DLQ', async () => {
      // prepare
      queuesWith({ thumbnails: '0', tags: '4' });
      sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
      sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task' });
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
      // act
      const moved = await deadLetters.redrive();
      // assess
      expect(moved).toBe(4);
      expect(inputsOf(StartMessageMoveTaskCommand)).toEqual([
        { SourceArn: arn('gallery-tags-dlq'), DestinationArn: arn('gallery-tags') },
      ]);
    });

    it.each(['RUNNING', 'CANCELLING'])(
      'refuses before starting any task while a queue’s last task is %s',
      async (status) => {
        // prepare
        queuesWith({ thumbnails: '3', tags: '2' });
        sqs
          .on(ListMessageMoveTasksCommand)
          .resolves({ Results: [] })
          .on(ListMessageMoveTasksCommand, { SourceArn: arn('gallery-tags-dlq') })
          .resolves({ Results: [{ Status: status, SourceArn: arn('gallery-tags-dlq') }] });
        const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
        // act
        const redrive = deadLetters.redrive();
        // assess
        await expect(redrive).rejects.toBeInstanceOf(RedriveInProgressError);
        await expect(redrive).rejects.toThrow(/tags/);
        expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
      },
    );

    it('turns SQS’s refusal of a second task into a RedriveInProgressError caused by it', async () => {
      // prepare: a task started between the look and the start
      queuesWith({ thumbnails: '3', tags: '0' });
      sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
      const refusal = new SQSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message:
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      });
      sqs.on(StartMessageMoveTaskCommand).rejects(refusal);
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
      // act
      const redrive = deadLetters.redrive();
      // assess
      await expect(redrive).rejects.toBeInstanceOf(RedriveInProgressError);
      await expect(redrive).rejects.toMatchObject({
        name: 'RedriveInProgressError',
        message: expect.stringContaining('thumbnails'),
        cause: refusal,
      });
    });

    it('lets any other refusal through as it is', async () => {
      // prepare
      queuesWith({ thumbnails: '3', tags: '0' });
      sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
      const refusal = new SQSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Value for parameter SourceArn is invalid.',
      });
      sqs.on(StartMessageMoveTaskCommand).rejects(refusal);
      const deadLetters = createSqsDeadLetters({ client: client(), queues: [thumbnails, tags] });
      // act
      const redrive = deadLetters.redrive();
      // assess
      await expect(redrive).rejects.toBe(refusal);
    });
  });
});
