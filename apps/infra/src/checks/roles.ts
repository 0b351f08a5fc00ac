import { describeStatement, statementsOf } from '../policy';
import { surveyProcessors, type Processor } from '../processors';
import { logGroupOf, secretParameterOf, ssmParameterArn } from '../function-config';
import { asList, isObject, resourcesOfType, type Template } from '../template';

/** Actions with no resource-level permissions: `*` is the only resource they accept. */
export const RESOURCELESS_ACTIONS = new Set(['rekognition:DetectLabels']);

const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * One role per function, trusted by Lambda alone, every grant inline and each action on the
 * resources that function needs and no others: its own queue (consume) and dead-letter queue
 * (send), its own log group, its own secret; originals read-only, thumbnails the only prefix
 * written. Anything else, or anything missing, is reported.
 */
export function checkRoles(template: Template): string[] {
  const problems: string[] = [];
  const { processors } = surveyProcessors(template);

  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy']) {
    for (const { id } of resourcesOfType(template, type)) {
      problems.push(`${id}: grants live inline in their role, where this check reads them`);
    }
  }

  const roleUsers = new Map<string, string[]>();
  for (const { fn, role } of processors) {
    roleUsers.set(role.id, [...(roleUsers.get(role.id) ?? []), fn.id]);
  }
  for (const [role, functions] of roleUsers) {
    if (functions.length > 1) problems.push(`${role}: shared by ${functions.join(' and ')}`);
  }

  const buckets = resourcesOfType(template, 'AWS::S3::Bucket').map(({ id }) => id);
  for (const processor of processors) {
    problems.push(...checkRole(processor, buckets));
  }
  return problems;
}

function checkRole(processor: Processor, buckets: string[]): string[] {
  const { fn, role } = processor;
  const problems: string[] = [];

  const trust = statementsOf(role.properties['AssumeRolePolicyDocument']);
  const trusted =
    trust.length === 1 &&
    trust[0].effect === 'Allow' &&
    JSON.stringify(trust[0].principal) === JSON.stringify({ Service: 'lambda.amazonaws.com' }) &&
    JSON.stringify(trust[0].actions) === JSON.stringify(['sts:AssumeRole']);
  if (!trusted) problems.push(`${role.id}: not assumable by lambda.amazonaws.com alone`);
  if (asList(role.properties['ManagedPolicyArns']).length > 0) {
    problems.push(`${role.id}: has managed policies; grants live inline, where they are checked`);
  }

  const allowed = allowedResources(processor, buckets);
  const granted = new Set<string>();
  asList(role.properties['Policies']).forEach((policy, index) => {
    const document = isObject(policy) ? policy['PolicyDocument'] : undefined;
    for (const statement of statementsOf(document)) {
      if (statement.effect !== 'Allow') continue;
      const at = describeStatement(`${role.id}.Policies[${index}]`, statement);
      for (const action of statement.actions) {
        const permitted = typeof action === 'string' ? allowed.get(action) : undefined;
        if (permitted === undefined) {
          problems.push(`${at}: ${JSON.stringify(action)} is not an action ${fn.id} needs`);
          continue;
        }
        for (const resource of statement.resources) {
          granted.add(`${String(action)} ${resource}`);
          if (!permitted.includes(resource)) {
            problems.push(
              `${at}: ${String(action)} on ${resource}, allowed only on ${permitted.join(' or ')}`,
            );
          }
        }
      }
    }
  });

  for (const [action, resource] of requiredGrants(processor)) {
    if (!granted.has(`${action} ${resource}`)) {
      problems.push(`${role.id}: lacks ${action} on ${resource}`);
    }
  }
  return problems;
}

/** Each action a worker may be granted, and the resources it may be granted on. */
function allowedResources({ fn, queue, deadLetterQueue }: Processor, buckets: string[]) {
  const logGroup = logGroupOf(fn.properties);
  const secret = secretParameterOf(fn.properties);
  const objects = (prefix: string) => buckets.map((bucket) => `\${${bucket}.Arn}/${prefix}/*`);
  const allowed = new Map<string, string[]>();
  const allow = (actions: string[], resources: string[]) =>
    actions.forEach((action) => allowed.set(action, resources));

  allow(CONSUME_ACTIONS, [`\${${queue.id}.Arn}`]);
  // Permanent failures are sent to the DLQ by the worker itself, with their reason.
  allow(['sqs:SendMessage'], deadLetterQueue ? [`\${${deadLetterQueue.id}.Arn}`] : []);
  allow(LOG_ACTIONS, logGroup ? [`\${${logGroup}.Arn}`] : []);
  allow(['ssm:GetParameter'], secret ? [ssmParameterArn(`\${${secret}}`)] : []);
  allow(['s3:GetObject'], [...objects('originals'), ...objects('thumbnails')]);
  // Writes stay under thumbnails/: no worker can alter an original.
  allow(['s3:PutObject', 's3:DeleteObject'], objects('thumbnails'));
  // Lets S3 answer 404, not 403, for a missing key: a deleted image is then skipped.
  allow(
    ['s3:ListBucket'],
    buckets.map((bucket) => `\${${bucket}.Arn}`),
  );
  allow([...RESOURCELESS_ACTIONS], ['*']);
  return allowed;
}

/** What every worker needs to run at all. */
function requiredGrants({ fn, queue, deadLetterQueue }: Processor): [string, string][] {
  const logGroup = logGroupOf(fn.properties);
  const secret = secretParameterOf(fn.properties);
  return [
    ...CONSUME_ACTIONS.map((action): [string, string] => [action, `\${${queue.id}.Arn}`]),
    ...(deadLetterQueue
      ? [['sqs:SendMessage', `\${${deadLetterQueue.id}.Arn}`] as [string, string]]
      : []),
    ...LOG_ACTIONS.map((action): [string, string] => [action, `\${${logGroup ?? '?'}.Arn}`]),
    ['ssm:GetParameter', ssmParameterArn(`\${${secret ?? '?'}}`)],
  ];
}
