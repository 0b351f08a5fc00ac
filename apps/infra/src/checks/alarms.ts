import { surveyProcessors } from '../processors';
import {
  asList,
  getAttOf,
  isObject,
  numberOf,
  resourcesOfType,
  type FoundResource,
  type Template,
} from '../template';

/** The oldest message of a queue may wait this long before someone is told. */
export const MAX_AGE_ALARM_SECONDS = 300;

/**
 * Someone hears of every dead-lettered message (each DLQ's depth above 0) and of every queue
 * falling behind (its oldest message older than 5 minutes at most): the alarms exist and notify.
 */
export function checkAlarms(template: Template): string[] {
  const problems: string[] = [];
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  for (const { queue, deadLetterQueue } of surveyProcessors(template).processors) {
    if (
      deadLetterQueue &&
      !alarms.some((alarm) =>
        watches(alarm, deadLetterQueue.id, 'ApproximateNumberOfMessagesVisible', (t) => t === 0),
      )
    ) {
      problems.push(
        `${deadLetterQueue.id}: no alarm notifying when ApproximateNumberOfMessagesVisible > 0`,
      );
    }
    const ageLimit = (threshold: number) => threshold > 0 && threshold <= MAX_AGE_ALARM_SECONDS;
    if (
      !alarms.some((alarm) => watches(alarm, queue.id, 'ApproximateAgeOfOldestMessage', ageLimit))
    ) {
      problems.push(
        `${queue.id}: no alarm notifying when ApproximateAgeOfOldestMessage > at most ${MAX_AGE_ALARM_SECONDS} s`,
      );
    }
  }
  return problems;
}

/** The alarm notifies someone when `metric` of `queue` goes above an acceptable threshold. */
function watches(
  { properties }: FoundResource,
  queue: string,
  metric: string,
  acceptable: (threshold: number) => boolean,
): boolean {
  const dimensions = asList(properties['Dimensions']);
  const [dimension] = dimensions;
  const threshold = numberOf(properties['Threshold']);
  return (
    properties['Namespace'] === 'AWS/SQS' &&
    properties['MetricName'] === metric &&
    dimensions.length === 1 &&
    isObject(dimension) &&
    dimension['Name'] === 'QueueName' &&
    getAttOf(dimension['Value'], 'QueueName') === queue &&
    properties['ComparisonOperator'] === 'GreaterThanThreshold' &&
    threshold !== undefined &&
    acceptable(threshold) &&
    asList(properties['AlarmActions']).length > 0 &&
    properties['ActionsEnabled'] !== false
  );
}
