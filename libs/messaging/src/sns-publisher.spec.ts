import {
  InternalErrorException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishError } from './errors';
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
});
