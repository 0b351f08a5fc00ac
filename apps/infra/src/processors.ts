import {
  getAttOf,
  isObject,
  refTo,
  resourceOf,
  resourcesOfType,
  type FoundResource,
  type Template,
} from './template';

/**
 * One processor, found from its function: the role it runs as, the mapping that feeds it,
 * the queue the mapping reads and, when there is one, that queue's dead-letter queue. Checks
 * iterate over these, so a third processor is checked like the first two.
 */
export interface Processor {
  fn: FoundResource;
  role: FoundResource;
  mapping: FoundResource;
  queue: FoundResource;
  deadLetterQueue: FoundResource | undefined;
}

export interface ProcessorSurvey {
  processors: Processor[];
  /** Functions that could not be followed to a role, a mapping and a queue. */
  problems: string[];
}

export function surveyProcessors(template: Template): ProcessorSurvey {
  const processors: Processor[] = [];
  const problems: string[] = [];
  const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');

  for (const fn of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const role = resourceOf(template, getAttOf(fn.properties['Role'], 'Arn'), 'AWS::IAM::Role');
    if (!role) {
      problems.push(`${fn.id}: Role is not !GetAtt <a role of this template>.Arn`);
      continue;
    }
    const feeding = mappings.filter(
      ({ properties }) => refTo(properties['FunctionName']) === fn.id,
    );
    if (feeding.length !== 1) {
      problems.push(`${fn.id}: fed by ${feeding.length} event source mappings, expected 1`);
      continue;
    }
    const [mapping] = feeding;
    const queue = resourceOf(
      template,
      getAttOf(mapping.properties['EventSourceArn'], 'Arn'),
      'AWS::SQS::Queue',
    );
    if (!queue) {
      problems.push(`${mapping.id}: EventSourceArn is not !GetAtt <a queue of this template>.Arn`);
      continue;
    }
    const redrive = queue.properties['RedrivePolicy'];
    const deadLetterQueue = isObject(redrive)
      ? resourceOf(template, getAttOf(redrive['deadLetterTargetArn'], 'Arn'), 'AWS::SQS::Queue')
      : undefined;
    processors.push({ fn, role, mapping, queue, deadLetterQueue });
  }
  return { processors, problems };
}

/**
 * The topic the processors' queues subscribe to: the one topic with SQS subscriptions.
 * Undefined when there is none or more than one (the subscription check says which).
 */
export function imageTopicOf(template: Template): string | undefined {
  const topics = new Set(
    resourcesOfType(template, 'AWS::SNS::Subscription')
      .filter(({ properties }) => properties['Protocol'] === 'sqs')
      .map(({ properties }) => refTo(properties['TopicArn'])),
  );
  const [topic] = topics;
  return topics.size === 1 && resourceOf(template, topic, 'AWS::SNS::Topic') ? topic : undefined;
}
