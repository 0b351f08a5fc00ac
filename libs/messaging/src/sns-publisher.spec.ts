import {
  AuthorizationErrorException,
  GetTopicAttributesCommand,
  InternalErrorException,
  NotFoundException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { MessagingError, PublishError } from './errors';
import { createSnsPublisher } from './sns-publisher';

const topicArn = 'arn:aws:sns:eu-west-1:123456789012:gallery-image-uploaded';

describe('createSnsPublisher', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());

  it('publishes the body as the message with its type as a string attribute', async () => {
    // prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const publisher = createSnsPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn,
    });
    // act
    await publisher.publish({ type: 'image.uploaded', body: '{"imageId":"a"}' });
    // assess
    expect(sns.calls()).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TopicArn: topicArn,
      Message: '{"imageId":"a"}',
      MessageAttributes: { type: { DataType: 'String', StringValue: 'image.uploaded' } },
    });
  });

  it('rejects with a PublishError caused by the refusal when SNS refuses', async () => {
    const refusal = new Error('Rate exceeded');
    sns.on(PublishCommand).rejects(refusal);
    const publisher = createSnsPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn,
    });
    const published = publisher.publish({ type: 'image.uploaded', body: '{}' });
    await expect(published).rejects.toBeInstanceOf(PublishError);
    await expect(published).rejects.toMatchObject({ cause: refusal });
  });

  it.each([
    new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
    new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }),
  ])('rejects with a retryable PublishError caused by $name', async (refusal) => {
    // prepare
    sns.on(PublishCommand).rejects(refusal);
    const publisher = createSnsPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn,
    });
    // act
    const published = publisher.publish({ type: 'image.uploaded', body: '{}' });
    // assess
    await expect(published).rejects.toBeInstanceOf(PublishError);
    await expect(published).rejects.toMatchObject({ cause: refusal });
    // Not permanent: the outbox keeps the event pending and the relay publishes it again.
    await expect(published).rejects.not.toHaveProperty('permanent', true);
  });

  it('probes with one GetTopicAttributes on its topic, publishing nothing', async () => {
    // prepare
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: topicArn } });
    const publisher = createSnsPublisher({
      client: new SNSClient({ region: 'eu-west-1' }),
      topicArn,
    });
    // act
    await publisher.probe();
    // assess
    expect(sns.calls()).toHaveLength(1);
    expect(sns.commandCalls(GetTopicAttributesCommand)[0].args[0].input).toEqual({
      TopicArn: topicArn,
    });
  });

  it.each([
    [
      'a missing topic',
      new NotFoundException({
        message: 'Topic does not exist',
        $metadata: { httpStatusCode: 404 },
      }),
      'NotFoundException (HTTP 404)',
    ],
    [
      'a refusal',
      new AuthorizationErrorException({
        message: 'User: arn:aws:sts::123456789012:assumed-role/api is not authorized',
        $metadata: { httpStatusCode: 403 },
      }),
      'AuthorizationErrorException (HTTP 403)',
    ],
    [
      'no connection',
      Object.assign(new Error('getaddrinfo ENOTFOUND sns.eu-west-1.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
      'ENOTFOUND',
    ],
  ])(
    'fails its probe on %s with a MessagingError naming the failure alone',
    async (_, cause, said) => {
      // prepare
      sns.on(GetTopicAttributesCommand).rejects(cause);
      const publisher = createSnsPublisher({
        client: new SNSClient({ region: 'eu-west-1' }),
        topicArn,
      });
      // act
      const probing = publisher.probe();
      // assess: the topic by name; the ARN's account and the SDK's message stay out
      await expect(probing).rejects.toThrow(MessagingError);
      await expect(probing).rejects.toMatchObject({
        message: `SNS topic gallery-image-uploaded cannot be reached: ${said}`,
        cause,
      });
    },
  );
});
