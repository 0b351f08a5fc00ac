import { sdkFailureOf } from '@gallery/storage';
import { GetTopicAttributesCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { MessagingError, PublishError } from './errors';
import type { Publisher } from './publisher';

export interface SnsPublisherOptions {
  /** Made once and reused. */
  client: SNSClient;
  topicArn: string;
}

/** The publisher port on an SNS topic; subscriptions use raw message delivery. */
export function createSnsPublisher({ client, topicArn }: SnsPublisherOptions): Publisher {
  return {
    async publish({ type, body }) {
      try {
        await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: body,
            MessageAttributes: { type: { DataType: 'String', StringValue: type } },
          }),
        );
      } catch (error) {
        throw new PublishError(`SNS did not accept the message: ${String(error)}`, {
          cause: error,
        });
      }
    },
    async probe() {
      try {
        await client.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      } catch (error) {
        // The topic's name, not its ARN: the account id stays out of health reports.
        const topic = topicArn.slice(topicArn.lastIndexOf(':') + 1);
        throw new MessagingError(`SNS topic ${topic} cannot be reached: ${sdkFailureOf(error)}`, {
          cause: error,
        });
      }
    },
  };
}
