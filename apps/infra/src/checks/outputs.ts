import { imageTopicOf, surveyProcessors } from '../processors';
import { refTo, resourcesOfType, type Template } from '../template';

/**
 * The outputs give the API what it needs (the topic's ARN, the bucket's name) and name every
 * queue and dead-letter queue by URL, for operators and redrives.
 */
export function checkOutputs(template: Template): string[] {
  const referenced = new Set(
    Object.values(template.Outputs ?? {}).map(({ Value }) => refTo(Value)),
  );
  const wanted = [
    imageTopicOf(template),
    ...resourcesOfType(template, 'AWS::S3::Bucket').map(({ id }) => id),
    ...surveyProcessors(template).processors.flatMap(({ queue, deadLetterQueue }) => [
      queue.id,
      deadLetterQueue?.id,
    ]),
  ];
  return wanted
    .filter((id): id is string => id !== undefined && !referenced.has(id))
    .map((id) => `${id}: no output gives !Ref ${id}`);
}
