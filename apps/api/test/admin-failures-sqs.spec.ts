import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { createSqsDeadLetters } from '@gallery/messaging';
import {
  anImageUploaded,
  deadLetterPeekInput,
  sqsArn,
  sqsSubscriberQueue,
} from '@gallery/messaging/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { DEAD_LETTERS_IN_SQS } from '../src/admin/failure-routes';
import { composeDeadLetters } from '../src/compose';
import { loadConfig } from '../src/config';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const thumbnails = sqsSubscriberQueue('thumbnails');
const arn = sqsArn;
const peekInput = deadLetterPeekInput(thumbnails.deadLetterQueueUrl);

// Every SQSClient, the one compose.ts makes included, answers from here.
const sqs = mockClient(SQSClient);
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterEach(() => sqs.reset());
afterAll(async () => {
  await database.close();
});

describe('the dead letters under /api/admin/failures where they are SQS queues', () => {
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    test = await buildTestApp(database, {
      deadLetters: createSqsDeadLetters({
        client: new SQSClient({ region: 'eu-west-1' }),
        queues: [thumbnails],
      }),
    });
    cookie = await logInAsAdmin(test.app);
  });
  afterAll(async () => {
    await test.app.close();
  });

  const inject = (method: 'GET' | 'POST', url: string) =>
    test.app.inject({ method, url, headers: { cookie } });

  function deadLetterQueueHolds(waiting: string) {
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: thumbnails.deadLetterQueueUrl })
      .resolves({
        Attributes: {
          QueueArn: arn('gallery-thumbnails-dlq'),
          ApproximateNumberOfMessages: waiting,
        },
      })
      .on(GetQueueAttributesCommand, { QueueUrl: thumbnails.queueUrl })
      .resolves({ Attributes: { QueueArn: arn('gallery-thumbnails') } });
  }

  it('lists what the worker dead-lettered and what SQS moved after too many receives', async () => {
    // prepare
    const event = anImageUploaded();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          {
            MessageId: 'dlq-1',
            Body: '{"not":"an event"',
            Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1772366405000' },
            MessageAttributes: {
              reason: { DataType: 'String', StringValue: 'InvalidMessageError: not JSON' },
              sourceMessageId: { DataType: 'String', StringValue: 'source-1' },
              receiveCount: { DataType: 'Number', StringValue: '1' },
            },
          },
          {
            MessageId: 'source-2',
            Body: JSON.stringify(event),
            Attributes: { ApproximateReceiveCount: '6', SentTimestamp: '1772366400000' },
          },
        ],
      })
      .resolves({});
    // act
    const response = await inject('GET', '/api/admin/failures');
    // assess
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          queue: 'thumbnails',
          messageId: 'source-1',
          imageId: null,
          reason: 'InvalidMessageError: not JSON',
          receiveCount: 1,
          deadLetteredAt: '2026-03-01T12:00:05.000Z',
        },
        {
          queue: 'thumbnails',
          messageId: 'source-2',
          imageId: event.imageId,
          reason: 'exceeded maxReceiveCount',
          receiveCount: 6,
          deadLetteredAt: '2026-03-01T12:00:00.000Z',
        },
      ],
    });
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input).toEqual(peekInput);
  });

  it('starts a move task from the DLQ back to its queue on redrive', async () => {
    // prepare
    deadLetterQueueHolds('2');
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'COMPLETED' }] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    // act
    const response = await inject('POST', '/api/admin/failures/redrive');
    // assess
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ moved: 2 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand).map((call) => call.args[0].input)).toEqual(
      [{ SourceArn: arn('gallery-thumbnails-dlq'), DestinationArn: arn('gallery-thumbnails') }],
    );
  });

  it('answers 409 and starts nothing while an earlier redrive is still running', async () => {
    // prepare
    deadLetterQueueHolds('2');
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING' }] });
    // act
    const response = await inject('POST', '/api/admin/failures/redrive');
    // assess
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ message: expect.stringContaining('thumbnails') });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('answers 409 when SQS refuses the move task because one is already running', async () => {
    // prepare
    deadLetterQueueHolds('2');
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    sqs.on(StartMessageMoveTaskCommand).rejects(
      new SQSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message:
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      }),
    );
    // act
    const response = await inject('POST', '/api/admin/failures/redrive');
    // assess
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/still moving messages/);
  });

  it('answers 500 without detail when SQS fails otherwise', async () => {
    // prepare
    sqs.on(GetQueueAttributesCommand).rejects(new Error('AccessDenied: not authorized'));
    // act
    const response = await inject('POST', '/api/admin/failures/redrive');
    // assess
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ message: 'internal server error' });
  });
});

describe('composeDeadLetters on AWS', () => {
  const aws = { SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:gallery-image-uploaded' };

  it('reads the DLQs that DEAD_LETTER_QUEUES names', async () => {
    // prepare
    sqs.on(ReceiveMessageCommand).resolves({});
    const config = loadConfig({
      ...aws,
      DEAD_LETTER_QUEUES: `thumbnails=${thumbnails.queueUrl}|${thumbnails.deadLetterQueueUrl}`,
    });
    // act
    const deadLetters = composeDeadLetters(config, '/nonexistent');
    const failures = await deadLetters?.list();
    // assess
    expect(failures).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input)).toEqual([
      peekInput,
    ]);
  });

  it('has none without DEAD_LETTER_QUEUES, so the routes answer 501 naming it', async () => {
    // prepare
    const config = loadConfig(aws);
    // act
    const deadLetters = composeDeadLetters(config, '/nonexistent');
    const test = await buildTestApp(database, { deadLetters: deadLetters ?? undefined });
    const response = await test.app.inject({
      method: 'GET',
      url: '/api/admin/failures',
      headers: { cookie: await logInAsAdmin(test.app) },
    });
    await test.app.close();
    // assess
    expect(deadLetters).toBeNull();
    expect(response.statusCode).toBe(501);
    expect(response.json()).toEqual({ message: DEAD_LETTERS_IN_SQS });
    expect(DEAD_LETTERS_IN_SQS).toMatch(/DEAD_LETTER_QUEUES/);
    expect(sqs.calls()).toHaveLength(0);
  });
});
