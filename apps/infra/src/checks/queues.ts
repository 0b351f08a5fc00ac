import { surveyProcessors } from '../processors';
import {
  asList,
  isObject,
  isTrue,
  numberOf,
  render,
  resourcesOfType,
  type FoundResource,
  type Template,
} from '../template';

export const MAX_RECEIVE_COUNT = 5;
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;
/** Lambda's advice for SQS sources: 6 × the function's timeout, plus its batching window. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Every processor queue has its own dead-letter queue (maxReceiveCount 5, kept 14 days, longer
 * than the source; its redrive-allow policy names the source), both are encrypted, the
 * visibility timeout covers the function's timeout six times, and no queue is left over.
 */
export function checkQueues(template: Template): string[] {
  const problems: string[] = [];
  const { processors } = surveyProcessors(template);
  const deadLetterUsers = new Map<string, string[]>();

  for (const { fn, mapping, queue, deadLetterQueue } of processors) {
    const where = queue.id;
    if (!isTrue(queue.properties['SqsManagedSseEnabled'])) {
      problems.push(`${where}: SqsManagedSseEnabled is not true`);
    }

    const timeout = numberOf(fn.properties['Timeout']) ?? 3;
    const window = numberOf(mapping.properties['MaximumBatchingWindowInSeconds']) ?? 0;
    const needed = VISIBILITY_TIMEOUT_FACTOR * timeout + window;
    const visibility = numberOf(queue.properties['VisibilityTimeout']) ?? 30;
    if (visibility < needed) {
      problems.push(
        `${where}: VisibilityTimeout ${visibility} s is under ${VISIBILITY_TIMEOUT_FACTOR} × ` +
          `${fn.id}'s ${timeout} s timeout + ${window} s batching window = ${needed} s`,
      );
    }

    const redrive = queue.properties['RedrivePolicy'];
    if (!isObject(redrive)) {
      problems.push(`${where}: no RedrivePolicy, every queue needs a dead-letter queue`);
      continue;
    }
    const receives = numberOf(redrive['maxReceiveCount']);
    if (receives !== MAX_RECEIVE_COUNT) {
      problems.push(`${where}: maxReceiveCount is ${receives}, expected ${MAX_RECEIVE_COUNT}`);
    }
    if (!deadLetterQueue) {
      problems.push(
        `${where}: dead-letter target ${render(redrive['deadLetterTargetArn'])} ` +
          'is not !GetAtt <a queue of this template>.Arn',
      );
      continue;
    }
    deadLetterUsers.set(deadLetterQueue.id, [
      ...(deadLetterUsers.get(deadLetterQueue.id) ?? []),
      queue.id,
    ]);
    problems.push(...checkDeadLetterQueue(deadLetterQueue, queue));
  }

  for (const [deadLetterId, sources] of deadLetterUsers) {
    if (sources.length > 1) {
      problems.push(`${deadLetterId}: dead-letter queue of ${sources.join(' and ')}, one each`);
    }
  }

  const accounted = new Set(
    processors.flatMap(({ queue, deadLetterQueue }) => [queue.id, deadLetterQueue?.id]),
  );
  for (const { id } of resourcesOfType(template, 'AWS::SQS::Queue')) {
    if (!accounted.has(id)) {
      problems.push(`${id}: feeds no function and is no processor's dead-letter queue`);
    }
  }
  return problems;
}

function checkDeadLetterQueue(deadLetterQueue: FoundResource, source: FoundResource): string[] {
  const problems: string[] = [];
  const where = deadLetterQueue.id;
  const properties = deadLetterQueue.properties;
  if (!isTrue(properties['SqsManagedSseEnabled'])) {
    problems.push(`${where}: SqsManagedSseEnabled is not true`);
  }
  if (properties['RedrivePolicy'] !== undefined) {
    problems.push(`${where}: a dead-letter queue has no dead-letter queue of its own`);
  }

  const retention = numberOf(properties['MessageRetentionPeriod']);
  const sourceRetention = numberOf(source.properties['MessageRetentionPeriod']);
  if (retention !== DEAD_LETTER_RETENTION_SECONDS) {
    problems.push(
      `${where}: MessageRetentionPeriod is ${retention}, expected ${DEAD_LETTER_RETENTION_SECONDS} (14 days)`,
    );
  }
  if (sourceRetention === undefined) {
    problems.push(`${source.id}: MessageRetentionPeriod is not set, so not shorter than its DLQ's`);
  } else if (retention === undefined || retention <= sourceRetention) {
    problems.push(
      `${where}: keeps messages ${retention} s, not longer than ${source.id}'s ${sourceRetention} s`,
    );
  }

  // The source's ARN is built from its name: a GetAtt here would be a circular reference.
  const sourceArn =
    'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:' +
    render(source.properties['QueueName']);
  const allow = properties['RedriveAllowPolicy'];
  const allowed = isObject(allow) ? asList(allow['sourceQueueArns']).map(render) : [];
  if (
    !isObject(allow) ||
    allow['redrivePermission'] !== 'byQueue' ||
    allowed.length !== 1 ||
    allowed[0] !== sourceArn
  ) {
    problems.push(`${where}: RedriveAllowPolicy is not byQueue with only ${sourceArn}`);
  }
  return problems;
}
