import { CATALOG } from '@gallery/processors';
import { processorIds } from '@gallery/stack-template';
import { checkTemplate, TEMPLATE_CHECKS } from '../src/check-template';
import { statementsOf } from '../src/policy';
import { asList, isObject, numberOf, refTo, type JsonObject, type Template } from '../src/template';
import {
  loadTemplate,
  propertiesOf,
  roleStatement,
  roleStatements,
  withProcessorCopied,
} from './template-edits';

type CheckName = keyof typeof TEMPLATE_CHECKS;

/** The S3 grants of a role, as `action resource` lines, sorted. */
function s3Grants(template: Template, roleId: string): string[] {
  const [policy] = asList(propertiesOf(template, roleId)['Policies']);
  return statementsOf(isObject(policy) ? policy['PolicyDocument'] : undefined)
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) =>
      statement.actions
        .filter((action) => String(action).startsWith('s3:'))
        .flatMap((action) =>
          statement.resources.map((resource) => `${String(action)} ${resource}`),
        ),
    )
    .sort();
}

const concurrencyOf = (template: Template, mappingId: string) =>
  numberOf(
    (propertiesOf(template, mappingId)['ScalingConfig'] as JsonObject)['MaximumConcurrency'],
  );

describe('the stack template', () => {
  it('holds every invariant of the stack', () => {
    // prepare
    const template = loadTemplate();

    // act
    const problems = checkTemplate(template);

    // assess
    expect(problems).toEqual([]);
  });

  it.each(Object.keys(TEMPLATE_CHECKS) as CheckName[])('holds the %s invariant', (name) => {
    // prepare
    const template = loadTemplate();

    // act
    const problems = TEMPLATE_CHECKS[name](template);

    // assess
    expect(problems).toEqual([]);
  });

  it('has each processor of the catalog, each fed by its own queue', () => {
    // prepare
    const template = loadTemplate();

    // act
    const feeds = Object.values(template.Resources)
      .filter(({ Type }) => Type === 'AWS::Lambda::EventSourceMapping')
      .map(({ Properties = {} }) => [
        refTo(Properties['FunctionName']),
        (Properties['EventSourceArn'] as JsonObject)['Fn::GetAtt'],
      ]);

    // assess
    expect(feeds).toEqual(
      CATALOG.map((entry) => [processorIds(entry).function, [processorIds(entry).queue, 'Arn']]),
    );
    expect(feeds.slice(0, 2)).toEqual([
      ['ThumbnailWorkerFunction', ['ThumbnailsQueue', 'Arn']],
      ['TagsWorkerFunction', ['TagsQueue', 'Arn']],
    ]);
  });

  it('lets the thumbnail worker read originals and write or delete thumbnails, nothing more in S3', () => {
    // prepare
    const template = loadTemplate();

    // act
    const grants = s3Grants(template, 'ThumbnailWorkerRole');

    // assess
    expect(grants).toEqual([
      's3:DeleteObject ${ImageBucket.Arn}/thumbnails/*',
      's3:GetObject ${ImageBucket.Arn}/originals/*',
      's3:ListBucket ${ImageBucket.Arn}',
      's3:PutObject ${ImageBucket.Arn}/thumbnails/*',
    ]);
  });

  it('lets the tags worker only read originals in S3, and call DetectLabels', () => {
    // prepare
    const template = loadTemplate();

    // act
    const grants = s3Grants(template, 'TagsWorkerRole');
    const detectLabels = roleStatement(template, 'TagsWorkerRole', 'DetectLabels');

    // assess
    expect(grants).toEqual([
      's3:GetObject ${ImageBucket.Arn}/originals/*',
      's3:ListBucket ${ImageBucket.Arn}',
    ]);
    expect(detectLabels).toEqual({
      Sid: 'DetectLabels',
      Effect: 'Allow',
      Action: 'rekognition:DetectLabels',
      Resource: '*',
    });
  });

  it('takes each function’s code from the manifest key given for that worker', () => {
    // prepare
    const template = loadTemplate();
    const codeOf = (id: string) => propertiesOf(template, id)['Code'];
    const pattern = (name: string) => new RegExp(template.Parameters?.[name]?.AllowedPattern ?? '');
    const hash = 'ab'.repeat(32);

    // act
    const thumbnailCode = codeOf('ThumbnailWorkerFunction');
    const tagsCode = codeOf('TagsWorkerFunction');

    // assess
    expect(thumbnailCode).toEqual({
      S3Bucket: { Ref: 'ArtifactBucket' },
      S3Key: { Ref: 'ThumbnailWorkerCodeKey' },
    });
    expect(tagsCode).toEqual({
      S3Bucket: { Ref: 'ArtifactBucket' },
      S3Key: { Ref: 'TagsWorkerCodeKey' },
    });
    expect(`lambda/thumbnail-worker/${hash}.zip`).toMatch(pattern('ThumbnailWorkerCodeKey'));
    expect('lambda-source/thumbnails.zip').not.toMatch(pattern('ThumbnailWorkerCodeKey'));
    expect(`lambda/tags-worker/${hash}.zip`).toMatch(pattern('TagsWorkerCodeKey'));
    expect(`lambda/thumbnail-worker/${hash}.zip`).not.toMatch(pattern('TagsWorkerCodeKey'));
  });

  it('gives the sharp layer to every function whose processor needs sharp, and to no other', () => {
    // prepare
    const template = loadTemplate();

    // act
    const layers = CATALOG.map((entry) => [
      entry.project,
      propertiesOf(template, processorIds(entry).function)['Layers'] ?? [],
    ]);

    // assess
    expect(layers).toEqual(
      CATALOG.map((entry) => [entry.project, entry.sharp ? [{ Ref: 'SharpLayer' }] : []]),
    );
    expect(layers.slice(0, 2)).toEqual([
      ['thumbnail-worker', [{ Ref: 'SharpLayer' }]],
      ['tags-worker', [{ Ref: 'SharpLayer' }]],
    ]);
  });

  it('publishes the sharp layer from the manifest key, for the functions’ runtime and architecture', () => {
    // prepare
    const template = loadTemplate();
    const pattern = new RegExp(template.Parameters?.['SharpLayerCodeKey']?.AllowedPattern ?? '');
    const hash = 'ab'.repeat(32);

    // act
    const layer = template.Resources['SharpLayer'];

    // assess
    expect(layer.Type).toBe('AWS::Lambda::LayerVersion');
    expect(layer.Properties).toMatchObject({
      Content: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { Ref: 'SharpLayerCodeKey' } },
      CompatibleRuntimes: ['nodejs24.x'],
      CompatibleArchitectures: ['x86_64'],
    });
    expect(`lambda/layers/sharp/0.35.5/${hash}.zip`).toMatch(pattern);
    expect(`lambda/layers/sharp/${hash}.zip`).not.toMatch(pattern);
    expect(`lambda/thumbnail-worker/${hash}.zip`).not.toMatch(pattern);
  });

  it('gives the thumbnail worker a full vCPU for sharp', () => {
    // prepare
    const template = loadTemplate();

    // act
    const memory = propertiesOf(template, 'ThumbnailWorkerFunction')['MemorySize'];

    // assess
    expect(memory).toBeGreaterThanOrEqual(1769);
  });

  it('runs fewer tags workers at once than thumbnail workers, to spare Rekognition', () => {
    // prepare
    const template = loadTemplate();

    // act
    const tags = concurrencyOf(template, 'TagsWorkerEventSourceMapping');
    const thumbnails = concurrencyOf(template, 'ThumbnailWorkerEventSourceMapping');

    // assess
    expect(tags).toBe(2);
    expect(thumbnails).toBeGreaterThan(2);
  });

  it('names each worker’s secret in its environment and lets it read only that one', () => {
    // prepare
    const template = loadTemplate();
    const secretOf = (fn: string) =>
      ((propertiesOf(template, fn)['Environment'] as JsonObject)['Variables'] as JsonObject)[
        'CALLBACK_SECRET_PARAMETER'
      ];

    // act
    const thumbnailSecret = secretOf('ThumbnailWorkerFunction');
    const thumbnailGrant = roleStatement(template, 'ThumbnailWorkerRole', 'ReadCallbackSecret');

    // assess
    expect(thumbnailSecret).toEqual({ Ref: 'ThumbnailCallbackSecretParameter' });
    expect(thumbnailGrant).toEqual({
      Sid: 'ReadCallbackSecret',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ThumbnailCallbackSecretParameter}',
      },
    });
    expect(secretOf('TagsWorkerFunction')).toEqual({ Ref: 'TagsCallbackSecretParameter' });
  });
});

/** A way to break the template, and what the named check must then say. */
interface Breakage {
  name: string;
  check: CheckName;
  breakIt: (template: Template) => void;
  expected: string;
}

const ALLOW_ALL_S3: JsonObject = {
  Sid: 'Everything',
  Effect: 'Allow',
  Action: 's3:*',
  Resource: { 'Fn::Sub': '${ImageBucket.Arn}/*' },
};

const BREAKAGES: Breakage[] = [
  {
    name: 'a role allowed s3:*',
    check: 'wildcardActions',
    breakIt: (t) => roleStatements(t, 'ThumbnailWorkerRole').push(ALLOW_ALL_S3),
    expected: 'ThumbnailWorkerRole.Policies[0] Everything: allows the wildcard action "s3:*"',
  },
  {
    name: 'a role allowed s3:* is also beyond what its worker needs',
    check: 'roles',
    breakIt: (t) => roleStatements(t, 'TagsWorkerRole').push(ALLOW_ALL_S3),
    expected:
      'TagsWorkerRole.Policies[0] Everything: "s3:*" is not an action TagsWorkerFunction needs',
  },
  {
    name: 'an action prefix wildcard',
    check: 'wildcardActions',
    breakIt: (t) => {
      roleStatement(t, 'TagsWorkerRole', 'ReadOriginals')['Action'] = 's3:Get*';
    },
    expected: 'TagsWorkerRole.Policies[0] ReadOriginals: allows the wildcard action "s3:Get*"',
  },
  {
    name: 'a queue policy allowing sqs:*',
    check: 'wildcardActions',
    breakIt: (t) => {
      const document = propertiesOf(t, 'TagsQueuePolicy')['PolicyDocument'] as JsonObject;
      (document['Statement'] as JsonObject[])[0]['Action'] = 'sqs:*';
    },
    expected: 'TagsQueuePolicy AllowImageEventsTopic: allows the wildcard action "sqs:*"',
  },
  {
    name: 'a dropped dead-letter queue',
    check: 'queues',
    breakIt: (t) => {
      delete t.Resources['TagsDeadLetterQueue'];
    },
    expected:
      'TagsQueue: dead-letter target ${TagsDeadLetterQueue.Arn} is not !GetAtt <a queue of this template>.Arn',
  },
  {
    name: 'a dropped redrive policy',
    check: 'queues',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailsQueue')['RedrivePolicy'];
    },
    expected: 'ThumbnailsQueue: no RedrivePolicy, every queue needs a dead-letter queue',
  },
  {
    name: 'a redrive after 10 receives',
    check: 'queues',
    breakIt: (t) => {
      (propertiesOf(t, 'ThumbnailsQueue')['RedrivePolicy'] as JsonObject)['maxReceiveCount'] = 10;
    },
    expected: 'ThumbnailsQueue: maxReceiveCount is 10, expected 5',
  },
  {
    name: 'a dead-letter queue kept 4 days',
    check: 'queues',
    breakIt: (t) => {
      propertiesOf(t, 'TagsDeadLetterQueue')['MessageRetentionPeriod'] = 345600;
    },
    expected: 'TagsDeadLetterQueue: MessageRetentionPeriod is 345600, expected 1209600 (14 days)',
  },
  {
    name: 'a source queue kept as long as its dead-letter queue',
    check: 'queues',
    breakIt: (t) => {
      propertiesOf(t, 'TagsQueue')['MessageRetentionPeriod'] = 1209600;
    },
    expected:
      "TagsDeadLetterQueue: keeps messages 1209600 s, not longer than TagsQueue's 1209600 s",
  },
  {
    name: 'two queues sharing one dead-letter queue',
    check: 'queues',
    breakIt: (t) => {
      (propertiesOf(t, 'TagsQueue')['RedrivePolicy'] as JsonObject)['deadLetterTargetArn'] = {
        'Fn::GetAtt': ['ThumbnailsDeadLetterQueue', 'Arn'],
      };
    },
    expected:
      'ThumbnailsDeadLetterQueue: dead-letter queue of ThumbnailsQueue and TagsQueue, one each',
  },
  {
    name: 'a dead-letter queue any queue may redrive into',
    check: 'queues',
    breakIt: (t) => {
      propertiesOf(t, 'TagsDeadLetterQueue')['RedriveAllowPolicy'] = {
        redrivePermission: 'allowAll',
      };
    },
    expected:
      'TagsDeadLetterQueue: RedriveAllowPolicy is not byQueue with only ' +
      'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-tags',
  },
  {
    name: 'a visibility timeout shorter than 6 function timeouts',
    check: 'queues',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailsQueue')['VisibilityTimeout'] = 60;
    },
    expected:
      "ThumbnailsQueue: VisibilityTimeout 60 s is under 6 × ThumbnailWorkerFunction's 30 s timeout + 0 s batching window = 180 s",
  },
  {
    name: 'a function timeout raised without its queue’s visibility',
    check: 'queues',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerFunction')['Timeout'] = 60;
    },
    expected:
      "TagsQueue: VisibilityTimeout 181 s is under 6 × TagsWorkerFunction's 60 s timeout + 1 s batching window = 361 s",
  },
  {
    name: 'an unencrypted queue',
    check: 'queues',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailsQueue')['SqsManagedSseEnabled'];
    },
    expected: 'ThumbnailsQueue: SqsManagedSseEnabled is not true',
  },
  {
    name: 'a queue nobody reads',
    check: 'queues',
    breakIt: (t) => {
      t.Resources['StrayQueue'] = { Type: 'AWS::SQS::Queue', Properties: {} };
    },
    expected: "StrayQueue: feeds no function and is no processor's dead-letter queue",
  },
  {
    name: 'a subscription without raw delivery',
    check: 'subscriptions',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailsSubscription')['RawMessageDelivery'] = false;
    },
    expected: 'ThumbnailsSubscription: RawMessageDelivery is not true',
  },
  {
    name: 'a subscription taking every event type',
    check: 'subscriptions',
    breakIt: (t) => {
      delete propertiesOf(t, 'TagsSubscription')['FilterPolicy'];
    },
    expected: 'TagsSubscription: FilterPolicy is not { type: [image.uploaded] }',
  },
  {
    name: 'a processor queue left unsubscribed',
    check: 'subscriptions',
    breakIt: (t) => {
      delete t.Resources['TagsSubscription'];
    },
    expected: 'TagsQueue: has 0 subscriptions to ImageEventsTopic, expected 1',
  },
  {
    name: 'the image topic mailing someone',
    check: 'subscriptions',
    breakIt: (t) => {
      propertiesOf(t, 'AlarmEmailSubscription')['TopicArn'] = { Ref: 'ImageEventsTopic' };
    },
    expected: 'AlarmEmailSubscription: ImageEventsTopic delivers to email, not a queue',
  },
  {
    name: 'a queue policy open to every principal',
    check: 'queuePolicies',
    breakIt: (t) => {
      const document = propertiesOf(t, 'ThumbnailsQueuePolicy')['PolicyDocument'] as JsonObject;
      (document['Statement'] as JsonObject[])[0]['Principal'] = '*';
    },
    expected: 'ThumbnailsQueuePolicy: principal is "*", expected {"Service":"sns.amazonaws.com"}',
  },
  {
    name: 'a queue policy without the topic condition',
    check: 'queuePolicies',
    breakIt: (t) => {
      const document = propertiesOf(t, 'TagsQueuePolicy')['PolicyDocument'] as JsonObject;
      delete (document['Statement'] as JsonObject[])[0]['Condition'];
    },
    expected:
      'TagsQueuePolicy: condition is undefined, expected {"ArnEquals":{"aws:SourceArn":{"Ref":"ImageEventsTopic"}}}',
  },
  {
    name: 'a queue policy on the other queue',
    check: 'queuePolicies',
    breakIt: (t) => {
      const document = propertiesOf(t, 'TagsQueuePolicy')['PolicyDocument'] as JsonObject;
      (document['Statement'] as JsonObject[])[0]['Resource'] = {
        'Fn::GetAtt': ['ThumbnailsQueue', 'Arn'],
      };
    },
    expected:
      'TagsQueuePolicy: resources is ["${ThumbnailsQueue.Arn}"], expected ["${TagsQueue.Arn}"]',
  },
  {
    name: 'a queue without a policy',
    check: 'queuePolicies',
    breakIt: (t) => {
      delete t.Resources['ThumbnailsQueuePolicy'];
    },
    expected: 'ThumbnailsQueue: has 0 queue policies, expected 1',
  },
  {
    name: 'a worker consuming the other worker’s queue',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'ThumbnailWorkerRole', 'ConsumeOwnQueue')['Resource'] = [
        { 'Fn::GetAtt': ['ThumbnailsQueue', 'Arn'] },
        { 'Fn::GetAtt': ['TagsQueue', 'Arn'] },
      ];
    },
    expected:
      'ThumbnailWorkerRole.Policies[0] ConsumeOwnQueue: sqs:ReceiveMessage on ${TagsQueue.Arn}, allowed only on ${ThumbnailsQueue.Arn}',
  },
  {
    name: 'a worker dead-lettering into the other worker’s DLQ',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'TagsWorkerRole', 'DeadLetterToOwnQueue')['Resource'] = {
        'Fn::GetAtt': ['ThumbnailsDeadLetterQueue', 'Arn'],
      };
    },
    expected:
      'TagsWorkerRole.Policies[0] DeadLetterToOwnQueue: sqs:SendMessage on ${ThumbnailsDeadLetterQueue.Arn}, allowed only on ${TagsDeadLetterQueue.Arn}',
  },
  {
    name: 'a worker able to overwrite originals',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'ThumbnailWorkerRole', 'WriteThumbnails')['Resource'] = {
        'Fn::Sub': '${ImageBucket.Arn}/originals/*',
      };
    },
    expected:
      'ThumbnailWorkerRole.Policies[0] WriteThumbnails: s3:PutObject on ${ImageBucket.Arn}/originals/*, allowed only on ${ImageBucket.Arn}/thumbnails/*',
  },
  {
    name: 'a worker reading the whole bucket',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'TagsWorkerRole', 'ReadOriginals')['Resource'] = {
        'Fn::Join': ['', [{ 'Fn::GetAtt': ['ImageBucket', 'Arn'] }, '/*']],
      };
    },
    expected:
      'TagsWorkerRole.Policies[0] ReadOriginals: s3:GetObject on ${ImageBucket.Arn}/*, allowed only on ${ImageBucket.Arn}/originals/* or ${ImageBucket.Arn}/thumbnails/*',
  },
  {
    name: 'a worker writing every log group',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'TagsWorkerRole', 'WriteOwnLogs')['Resource'] = '*';
    },
    expected:
      'TagsWorkerRole.Policies[0] WriteOwnLogs: logs:CreateLogStream on *, allowed only on ${TagsWorkerLogGroup.Arn}',
  },
  {
    name: 'a worker able to create log groups',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'ThumbnailWorkerRole', 'WriteOwnLogs')['Action'] = [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ];
    },
    expected:
      'ThumbnailWorkerRole.Policies[0] WriteOwnLogs: "logs:CreateLogGroup" is not an action ThumbnailWorkerFunction needs',
  },
  {
    name: 'a worker reading any parameter',
    check: 'roles',
    breakIt: (t) => {
      roleStatement(t, 'ThumbnailWorkerRole', 'ReadCallbackSecret')['Resource'] = {
        'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*',
      };
    },
    expected:
      'ThumbnailWorkerRole.Policies[0] ReadCallbackSecret: ssm:GetParameter on arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*, ' +
      'allowed only on arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ThumbnailCallbackSecretParameter}',
  },
  {
    name: 'a role with a managed policy',
    check: 'roles',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailWorkerRole')['ManagedPolicyArns'] = [
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ];
    },
    expected:
      'ThumbnailWorkerRole: has managed policies; grants live inline, where they are checked',
  },
  {
    name: 'a role missing its DLQ grant',
    check: 'roles',
    breakIt: (t) => {
      const statements = roleStatements(t, 'TagsWorkerRole');
      statements.splice(
        statements.findIndex((s) => s['Sid'] === 'DeadLetterToOwnQueue'),
        1,
      );
    },
    expected: 'TagsWorkerRole: lacks sqs:SendMessage on ${TagsDeadLetterQueue.Arn}',
  },
  {
    name: 'one role for both functions',
    check: 'roles',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerFunction')['Role'] = {
        'Fn::GetAtt': ['ThumbnailWorkerRole', 'Arn'],
      };
    },
    expected: 'ThumbnailWorkerRole: shared by ThumbnailWorkerFunction and TagsWorkerFunction',
  },
  {
    name: 'a role any service may assume',
    check: 'roles',
    breakIt: (t) => {
      const trust = propertiesOf(t, 'TagsWorkerRole')['AssumeRolePolicyDocument'] as JsonObject;
      (trust['Statement'] as JsonObject[])[0]['Principal'] = { Service: 'ec2.amazonaws.com' };
    },
    expected: 'TagsWorkerRole: not assumable by lambda.amazonaws.com alone',
  },
  {
    name: 'a grant in a separate policy resource',
    check: 'roles',
    breakIt: (t) => {
      t.Resources['ExtraPolicy'] = { Type: 'AWS::IAM::Policy', Properties: {} };
    },
    expected: 'ExtraPolicy: grants live inline in their role, where this check reads them',
  },
  {
    name: 'an older runtime',
    check: 'functions',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailWorkerFunction')['Runtime'] = 'nodejs22.x';
    },
    expected: 'ThumbnailWorkerFunction: Runtime is nodejs22.x, expected nodejs24.x',
  },
  {
    name: 'another handler',
    check: 'functions',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerFunction')['Handler'] = 'lambda.handler';
    },
    expected: 'TagsWorkerFunction: Handler is lambda.handler, expected index.handler',
  },
  {
    name: 'a fixed code key, which never updates the function',
    check: 'functions',
    breakIt: (t) => {
      (propertiesOf(t, 'ThumbnailWorkerFunction')['Code'] as JsonObject)['S3Key'] =
        'lambda-source/thumbnails.zip';
    },
    expected: 'ThumbnailWorkerFunction: Code.S3Key is not !Ref <parameter named *CodeKey>',
  },
  {
    name: 'the callback secret itself in the environment',
    check: 'functions',
    breakIt: (t) => {
      const environment = propertiesOf(t, 'TagsWorkerFunction')['Environment'] as JsonObject;
      (environment['Variables'] as JsonObject)['CALLBACK_SECRET'] = 'a-secret-in-plain-sight';
    },
    expected: 'TagsWorkerFunction: CALLBACK_SECRET is in the environment; name the secret instead',
  },
  {
    name: 'a worker told the other worker’s DLQ',
    check: 'functions',
    breakIt: (t) => {
      const environment = propertiesOf(t, 'TagsWorkerFunction')['Environment'] as JsonObject;
      (environment['Variables'] as JsonObject)['DLQ_URL'] = { Ref: 'ThumbnailsDeadLetterQueue' };
    },
    expected: "TagsWorkerFunction: DLQ_URL is not !Ref <its own queue's dead-letter queue>",
  },
  {
    name: 'logs kept forever',
    check: 'functions',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailWorkerLogGroup')['RetentionInDays'];
    },
    expected: 'ThumbnailWorkerLogGroup: RetentionInDays is not set, logs would be kept forever',
  },
  {
    name: 'a worker that needs sharp without the sharp layer',
    check: 'layers',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailWorkerFunction')['Layers'];
    },
    expected:
      'ThumbnailWorkerFunction: its processor needs sharp (sharp: true in the catalog), but Layers has no !Ref SharpLayer',
  },
  {
    name: 'the sharp layer on a worker that does not need sharp',
    check: 'layers',
    breakIt: (t) => {
      propertiesOf(t, 'MetadataWorkerFunction')['Layers'] = [{ Ref: 'SharpLayer' }];
    },
    expected:
      'MetadataWorkerFunction: has SharpLayer, which its processor does not need (sharp: false in the catalog)',
  },
  {
    name: 'a layer from outside the stack',
    check: 'layers',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerFunction')['Layers'] = [
        'arn:aws:lambda:eu-west-1:123456789012:layer:sharp:3',
      ];
    },
    expected:
      'TagsWorkerFunction: Layers holds arn:aws:lambda:eu-west-1:123456789012:layer:sharp:3, not !Ref <a layer version of this template>',
  },
  {
    name: 'the sharp layer declared for another runtime',
    check: 'layers',
    breakIt: (t) => {
      propertiesOf(t, 'SharpLayer')['CompatibleRuntimes'] = ['nodejs22.x'];
    },
    expected:
      'SharpLayer: CompatibleRuntimes lacks nodejs24.x, the runtime of ThumbnailWorkerFunction',
  },
  {
    name: 'the sharp layer declared for arm64',
    check: 'layers',
    breakIt: (t) => {
      propertiesOf(t, 'SharpLayer')['CompatibleArchitectures'] = ['arm64'];
    },
    expected:
      "SharpLayer: CompatibleArchitectures is not [x86_64], the platform of sharp's binaries in it",
  },
  {
    name: 'a function moved to arm64 beside the x86_64 sharp layer',
    check: 'layers',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerFunction')['Architectures'] = ['arm64'];
    },
    expected:
      'SharpLayer: CompatibleArchitectures lacks arm64, the architecture of TagsWorkerFunction',
  },
  {
    name: 'a fixed layer key, which never publishes a new version',
    check: 'layers',
    breakIt: (t) => {
      (propertiesOf(t, 'SharpLayer')['Content'] as JsonObject)['S3Key'] = 'lambda/layers/sharp.zip';
    },
    expected: 'SharpLayer: Content.S3Key is not !Ref <parameter named *CodeKey>',
  },
  {
    name: 'a mapping failing whole batches',
    check: 'mappings',
    breakIt: (t) => {
      delete propertiesOf(t, 'TagsWorkerEventSourceMapping')['FunctionResponseTypes'];
    },
    expected: 'TagsWorkerEventSourceMapping: FunctionResponseTypes lacks ReportBatchItemFailures',
  },
  {
    name: 'a mapping without a concurrency limit',
    check: 'mappings',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailWorkerEventSourceMapping')['ScalingConfig'];
    },
    expected:
      'ThumbnailWorkerEventSourceMapping: ScalingConfig.MaximumConcurrency is not set between 2 and 1000',
  },
  {
    name: 'a long batching window',
    check: 'mappings',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailWorkerEventSourceMapping')['MaximumBatchingWindowInSeconds'] = 20;
    },
    expected:
      'ThumbnailWorkerEventSourceMapping: MaximumBatchingWindowInSeconds is not set to 0 or 1',
  },
  {
    name: 'tags scaled beyond Rekognition’s rate',
    check: 'mappings',
    breakIt: (t) => {
      propertiesOf(t, 'TagsWorkerEventSourceMapping')['ScalingConfig'] = { MaximumConcurrency: 10 };
    },
    expected:
      'TagsWorkerEventSourceMapping: 10 × 10 = 100 DetectLabels calls in flight, more than 20',
  },
  {
    name: 'a dead-letter queue nobody watches',
    check: 'alarms',
    breakIt: (t) => {
      delete t.Resources['TagsDeadLetterQueueAlarm'];
    },
    expected: 'TagsDeadLetterQueue: no alarm notifying when ApproximateNumberOfMessagesVisible > 0',
  },
  {
    name: 'an alarm that notifies nobody',
    check: 'alarms',
    breakIt: (t) => {
      delete propertiesOf(t, 'ThumbnailsDeadLetterQueueAlarm')['AlarmActions'];
    },
    expected:
      'ThumbnailsDeadLetterQueue: no alarm notifying when ApproximateNumberOfMessagesVisible > 0',
  },
  {
    name: 'a queue allowed to fall an hour behind',
    check: 'alarms',
    breakIt: (t) => {
      propertiesOf(t, 'ThumbnailsQueueAgeAlarm')['Threshold'] = 3600;
    },
    expected:
      'ThumbnailsQueue: no alarm notifying when ApproximateAgeOfOldestMessage > at most 300 s',
  },
  {
    name: 'no topic ARN for the API',
    check: 'outputs',
    breakIt: (t) => {
      delete t.Outputs?.['ImageEventsTopicArn'];
    },
    expected: 'ImageEventsTopic: no output gives !Ref ImageEventsTopic',
  },
  {
    name: 'no bucket name for the API',
    check: 'outputs',
    breakIt: (t) => {
      delete t.Outputs?.['ImageBucketName'];
    },
    expected: 'ImageBucket: no output gives !Ref ImageBucket',
  },
  {
    name: 'no dead-letter queue URL',
    check: 'outputs',
    breakIt: (t) => {
      delete t.Outputs?.['TagsDeadLetterQueueUrl'];
    },
    expected: 'TagsDeadLetterQueue: no output gives !Ref TagsDeadLetterQueue',
  },
  {
    name: 'a bucket open to public policies',
    check: 'buckets',
    breakIt: (t) => {
      (propertiesOf(t, 'ImageBucket')['PublicAccessBlockConfiguration'] as JsonObject)[
        'BlockPublicPolicy'
      ] = false;
    },
    expected: 'ImageBucket: public access is not blocked in all four ways',
  },
  {
    name: 'a bucket answering plain HTTP',
    check: 'buckets',
    breakIt: (t) => {
      delete t.Resources['ImageBucketPolicy'];
    },
    expected: 'ImageBucket: no bucket policy denies every request made without TLS',
  },
  {
    name: 'a bucket keeping abandoned uploads',
    check: 'buckets',
    breakIt: (t) => {
      delete propertiesOf(t, 'ImageBucket')['LifecycleConfiguration'];
    },
    expected: 'ImageBucket: no enabled rule aborting incomplete multipart uploads after 1 day',
  },
  {
    name: 'a bucket deleted with the stack',
    check: 'buckets',
    breakIt: (t) => {
      delete t.Resources['ImageBucket'].DeletionPolicy;
    },
    expected: 'ImageBucket: DeletionPolicy and UpdateReplacePolicy are not Retain',
  },
];

describe('the template checker', () => {
  it.each(BREAKAGES.map((breakage) => [breakage.name, breakage] as const))(
    'reports %s',
    (_, { check, breakIt, expected }) => {
      // prepare
      const template = loadTemplate();
      breakIt(template);

      // act
      const fromCheck = TEMPLATE_CHECKS[check](template);
      const fromAll = checkTemplate(template);

      // assess
      expect(fromCheck).toContain(expected);
      expect(fromAll).toContain(expected);
    },
  );

  it('has a breakage proving each of its checks can fail', () => {
    // prepare
    const checks = Object.keys(TEMPLATE_CHECKS);

    // act
    const proven = new Set(BREAKAGES.map(({ check }) => check));

    // assess
    expect(checks.filter((check) => !proven.has(check as CheckName))).toEqual([]);
  });

  it('accepts a third processor made like the others', () => {
    // prepare
    const template = withProcessorCopied(loadTemplate(), 'Tags', 'Handmade');

    // act
    const problems = checkTemplate(template);

    // assess
    expect(Object.keys(template.Resources)).toEqual(
      expect.arrayContaining([
        'HandmadeQueue',
        'HandmadeWorkerFunction',
        'HandmadeWorkerEventSourceMapping',
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('checks a third processor like the first two', () => {
    // prepare
    const template = withProcessorCopied(loadTemplate(), 'Tags', 'Handmade');
    delete template.Resources['HandmadeDeadLetterQueueAlarm'];
    (propertiesOf(template, 'HandmadeQueue')['RedrivePolicy'] as JsonObject)['maxReceiveCount'] = 1;
    roleStatements(template, 'HandmadeWorkerRole').push(ALLOW_ALL_S3);
    delete template.Outputs?.['HandmadeQueueUrl'];

    // act
    const problems = checkTemplate(template);

    // assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'HandmadeDeadLetterQueue: no alarm notifying when ApproximateNumberOfMessagesVisible > 0',
        'HandmadeQueue: maxReceiveCount is 1, expected 5',
        'HandmadeWorkerRole.Policies[0] Everything: allows the wildcard action "s3:*"',
        'HandmadeQueue: no output gives !Ref HandmadeQueue',
      ]),
    );
  });
});
