import type { LambdaVariable, ProcessorEntry } from '@gallery/processors';

/*
 * The template's text for each processor of the catalog: its parameters, its resources
 * (queue, dead-letter queue, queue policy, subscription, log group, role, function, mapping,
 * alarms) and its outputs. Logical ids come from the catalog's names, so an existing stack
 * keeps its resources: `thumbnails` → ThumbnailsQueue, `thumbnail-worker` → ThumbnailWorkerRole.
 * A function whose entry says `sharp: true` gets the sharp layer, where sharp is: its zip holds
 * its bundle only.
 */

/** `thumbnail-worker` → `ThumbnailWorker`. */
export const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The logical ids of a layer of the stack, written by hand in template.yaml: `sharp` →
 * SharpLayer, its code key parameter SharpLayerCodeKey (the deploy passes the manifest's key).
 */
export function layerIds(name: string) {
  const layer = `${pascal(name)}Layer`;
  return { layer, codeKey: `${layer}CodeKey` };
}

/** The layer with sharp's binaries (dist/lambda/layers/sharp.zip), for `sharp: true` entries. */
export const SHARP_LAYER = 'sharp';

/** The logical ids and names of one processor's part of the stack. */
export function processorIds({ name, queue, project }: ProcessorEntry) {
  const queueId = pascal(queue);
  const worker = pascal(project);
  return {
    queue: `${queueId}Queue`,
    deadLetterQueue: `${queueId}DeadLetterQueue`,
    queuePolicy: `${queueId}QueuePolicy`,
    subscription: `${queueId}Subscription`,
    deadLetterAlarm: `${queueId}DeadLetterQueueAlarm`,
    ageAlarm: `${queueId}QueueAgeAlarm`,
    logGroup: `${worker}LogGroup`,
    role: `${worker}Role`,
    function: `${worker}Function`,
    mapping: `${worker}EventSourceMapping`,
    codeKey: `${worker}CodeKey`,
    secretParameter: `${pascal(name)}CallbackSecretParameter`,
  };
}

export function processorParameters(entry: ProcessorEntry): string {
  const ids = processorIds(entry);
  return `  ${ids.codeKey}:
    Type: String
    Description: S3 key of the ${entry.project} zip, from dist/lambda/manifest.json.
    AllowedPattern: '^lambda/${entry.project}/[0-9a-f]{64}\\.zip$'
  ${ids.secretParameter}:
    Type: String
    Description: Name of the SSM SecureString holding the ${entry.name} worker's callback secret.
    Default: /gallery/${entry.name}-callback-secret
    AllowedPattern: '^/[a-zA-Z0-9_.\\-/]+$'
${(entry.lambda.variables ?? []).map(variableParameter).join('')}`;
}

function variableParameter(variable: LambdaVariable): string {
  return `  ${variable.parameter}:
    Type: String
    Description: '${variable.description.replaceAll("'", "''")}'
    Default: '${variable.default}'
    AllowedValues: [${variable.allowed.map((value) => `'${value}'`).join(', ')}]
`;
}

export function processorResources(entry: ProcessorEntry): string {
  const { queue, project, lambda } = entry;
  const ids = processorIds(entry);
  const visibility = 6 * lambda.timeoutSeconds + lambda.batchingWindowSeconds;
  return `  # ── ${project} ${'─'.repeat(Math.max(3, 86 - project.length))}

  ${ids.queue}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-${queue}'
      SqsManagedSseEnabled: true
      VisibilityTimeout: ${visibility}
      MessageRetentionPeriod: 345600 # 4 days
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt ${ids.deadLetterQueue}.Arn
        maxReceiveCount: 5

  ${ids.deadLetterQueue}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-${queue}-dlq'
      SqsManagedSseEnabled: true
      MessageRetentionPeriod: 1209600 # 14 days
      RedriveAllowPolicy:
        redrivePermission: byQueue
        sourceQueueArns:
          - !Sub 'arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${AWS::StackName}-${queue}'

  ${ids.queuePolicy}:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues:
        - !Ref ${ids.queue}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: AllowImageEventsTopic
            Effect: Allow
            Principal:
              Service: sns.amazonaws.com
            Action: sqs:SendMessage
            Resource: !GetAtt ${ids.queue}.Arn
            Condition:
              ArnEquals:
                aws:SourceArn: !Ref ImageEventsTopic

  ${ids.subscription}:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref ImageEventsTopic
      Protocol: sqs
      Endpoint: !GetAtt ${ids.queue}.Arn
      RawMessageDelivery: true
      FilterPolicyScope: MessageAttributes
      FilterPolicy:
        type: [image.uploaded]

  ${ids.logGroup}:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30

  ${ids.role}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: ${project}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: ConsumeOwnQueue
                Effect: Allow
                Action:
                  - sqs:ReceiveMessage
                  - sqs:DeleteMessage
                  - sqs:GetQueueAttributes
                Resource: !GetAtt ${ids.queue}.Arn
              - Sid: DeadLetterToOwnQueue
                Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt ${ids.deadLetterQueue}.Arn
              - Sid: ReadOriginals
                Effect: Allow
                Action: s3:GetObject
                Resource: !Sub '\${ImageBucket.Arn}/originals/*'
${lambda.writesPrefixes.map(writeStatement).join('')}              - Sid: TellMissingFromForbidden
                Effect: Allow
                Action: s3:ListBucket
                Resource: !GetAtt ImageBucket.Arn
${lambda.resourcelessActions.map(resourcelessStatement).join('')}              - Sid: ReadCallbackSecret
                Effect: Allow
                Action: ssm:GetParameter
                Resource: !Sub 'arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter\${${ids.secretParameter}}'
              - Sid: WriteOwnLogs
                Effect: Allow
                Action:
                  - logs:CreateLogStream
                  - logs:PutLogEvents
                Resource: !GetAtt ${ids.logGroup}.Arn

  ${ids.function}:
    Type: AWS::Lambda::Function
    Properties:
      Description: ${lambda.description}
      Runtime: nodejs24.x
      Handler: index.handler
      Architectures: [x86_64]
${entry.sharp ? `      Layers: [!Ref ${layerIds(SHARP_LAYER).layer}]\n` : ''}      MemorySize: ${lambda.memoryMb}
      Timeout: ${lambda.timeoutSeconds}
      Role: !GetAtt ${ids.role}.Arn
      Code:
        S3Bucket: !Ref ArtifactBucket
        S3Key: !Ref ${ids.codeKey}
      LoggingConfig:
        LogGroup: !Ref ${ids.logGroup}
      Environment:
        Variables:
          API_URL: !Ref ApiUrl
          S3_BUCKET: !Ref ImageBucket
          DLQ_URL: !Ref ${ids.deadLetterQueue}
          CALLBACK_SECRET_PARAMETER: !Ref ${ids.secretParameter}
          LOG_LEVEL: !Ref LogLevel
${(lambda.variables ?? []).map(({ name, parameter }) => `          ${name}: !Ref ${parameter}\n`).join('')}
  ${ids.mapping}:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref ${ids.function}
      EventSourceArn: !GetAtt ${ids.queue}.Arn
      FunctionResponseTypes: [ReportBatchItemFailures]
      BatchSize: ${lambda.batchSize}
      MaximumBatchingWindowInSeconds: ${lambda.batchingWindowSeconds}
      ScalingConfig:
        MaximumConcurrency: ${lambda.maximumConcurrency}

  ${ids.deadLetterAlarm}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: A ${queue} message was dead-lettered; its reason is an attribute.
${alarmBody('ApproximateNumberOfMessagesVisible', ids.deadLetterQueue, 0)}
  ${ids.ageAlarm}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: The ${queue} queue is more than 5 minutes behind.
${alarmBody('ApproximateAgeOfOldestMessage', ids.queue, 300)}`;
}

export function processorOutputs(entry: ProcessorEntry): string {
  const ids = processorIds(entry);
  return `  ${ids.queue}Url:
    Value: !Ref ${ids.queue}
  ${ids.deadLetterQueue}Url:
    Value: !Ref ${ids.deadLetterQueue}
  ${ids.function}Name:
    Value: !Ref ${ids.function}
`;
}

function writeStatement(prefix: string): string {
  return `              - Sid: Write${pascal(prefix)}
                Effect: Allow
                Action:
                  - s3:PutObject
                  - s3:DeleteObject
                Resource: !Sub '\${ImageBucket.Arn}/${prefix}/*'
`;
}

function resourcelessStatement(action: string): string {
  return `              - Sid: ${action.split(':')[1]}
                Effect: Allow
                Action: ${action}
                Resource: '*'
`;
}

function alarmBody(metric: string, queueId: string, threshold: number): string {
  return `      Namespace: AWS/SQS
      MetricName: ${metric}
      Dimensions:
        - Name: QueueName
          Value: !GetAtt ${queueId}.QueueName
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      ComparisonOperator: GreaterThanThreshold
      Threshold: ${threshold}
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
`;
}
