import { imageTopicOf, surveyProcessors } from '../processors';
import { getAttOf, isTrue, refTo, render, resourcesOfType, type Template } from '../template';

export const EVENT_TYPE = 'image.uploaded';

/**
 * One topic fans out to the processors: each processor queue has exactly one subscription to
 * it, with raw delivery and a filter on the `type` attribute, and the topic reaches nothing
 * but processor queues.
 */
export function checkSubscriptions(template: Template): string[] {
  const problems: string[] = [];
  const topic = imageTopicOf(template);
  if (topic === undefined) {
    return ['no single topic of this template has the SQS subscriptions'];
  }
  const processorQueues = new Set(surveyProcessors(template).processors.map((p) => p.queue.id));
  const subscribed = new Map<string, string[]>();

  for (const { id, properties } of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    if (refTo(properties['TopicArn']) !== topic) {
      if (properties['Protocol'] === 'sqs') {
        problems.push(`${id}: subscribes a queue to another topic than ${topic}`);
      }
      continue;
    }
    if (properties['Protocol'] !== 'sqs') {
      problems.push(`${id}: ${topic} delivers to ${String(properties['Protocol'])}, not a queue`);
      continue;
    }
    const queue = getAttOf(properties['Endpoint'], 'Arn');
    if (queue === undefined || !processorQueues.has(queue)) {
      problems.push(`${id}: Endpoint ${render(properties['Endpoint'])} is no processor queue`);
    } else {
      subscribed.set(queue, [...(subscribed.get(queue) ?? []), id]);
    }
    if (!isTrue(properties['RawMessageDelivery'])) {
      problems.push(`${id}: RawMessageDelivery is not true`);
    }
    if (properties['FilterPolicyScope'] !== 'MessageAttributes') {
      problems.push(`${id}: FilterPolicyScope is not MessageAttributes`);
    }
    if (JSON.stringify(properties['FilterPolicy']) !== JSON.stringify({ type: [EVENT_TYPE] })) {
      problems.push(`${id}: FilterPolicy is not { type: [${EVENT_TYPE}] }`);
    }
  }

  for (const queue of processorQueues) {
    const subscriptions = subscribed.get(queue) ?? [];
    if (subscriptions.length !== 1) {
      problems.push(`${queue}: has ${subscriptions.length} subscriptions to ${topic}, expected 1`);
    }
  }
  return problems;
}
