import { statementsOf } from '../policy';
import { imageTopicOf, surveyProcessors } from '../processors';
import { asList, refTo, resourcesOfType, type Template } from '../template';

/**
 * Each processor queue has one policy, and each policy says exactly one thing: the image topic
 * (principal sns.amazonaws.com, condition aws:SourceArn) may send messages to that queue.
 */
export function checkQueuePolicies(template: Template): string[] {
  const problems: string[] = [];
  const topic = imageTopicOf(template);
  const processorQueues = new Set(surveyProcessors(template).processors.map((p) => p.queue.id));
  const covered = new Map<string, string[]>();

  for (const { id, properties } of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    const queues = asList(properties['Queues']).map(refTo);
    const [queue] = queues;
    if (queues.length !== 1 || queue === undefined || !processorQueues.has(queue)) {
      problems.push(`${id}: Queues is not exactly one !Ref <processor queue>`);
      continue;
    }
    covered.set(queue, [...(covered.get(queue) ?? []), id]);

    const statements = statementsOf(properties['PolicyDocument']);
    if (statements.length !== 1) {
      problems.push(`${id}: has ${statements.length} statements, expected 1`);
      continue;
    }
    const [statement] = statements;
    const expected = {
      effect: 'Allow',
      principal: { Service: 'sns.amazonaws.com' },
      actions: ['sqs:SendMessage'],
      resources: [`\${${queue}.Arn}`],
      condition: { ArnEquals: { 'aws:SourceArn': { Ref: topic ?? '<the image topic>' } } },
    };
    const actual = {
      effect: statement.effect,
      principal: statement.principal,
      actions: statement.actions,
      resources: statement.resources,
      condition: statement.condition,
    };
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (JSON.stringify(normalisePrincipal(actual[key])) !== JSON.stringify(expected[key])) {
        problems.push(
          `${id}: ${key} is ${JSON.stringify(actual[key])}, expected ${JSON.stringify(expected[key])}`,
        );
      }
    }
  }

  for (const queue of processorQueues) {
    const policies = covered.get(queue) ?? [];
    if (policies.length !== 1) {
      problems.push(`${queue}: has ${policies.length} queue policies, expected 1`);
    }
  }
  return problems;
}

/** `Service: [x]` means `Service: x`. */
function normalisePrincipal<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const service = (value as { Service?: unknown }).Service;
  if (Array.isArray(service) && service.length === 1) {
    return { ...value, Service: service[0] } as T;
  }
  return value;
}
