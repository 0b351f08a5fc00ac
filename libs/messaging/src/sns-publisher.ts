import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PublishError } from './errors';
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
  };
}
