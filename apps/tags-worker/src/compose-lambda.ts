import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { createCallbackClient } from '@gallery/api-client';
import { createSqsDeadLetterSink, callbackSecretFrom } from '@gallery/messaging';
import { createS3Client, createS3ObjectStore } from '@gallery/storage';
import type { LambdaConfig } from './config';
import { createHandler, type BatchHandler } from './handler';
import { createLogger } from './logger';
import { createRecordHandler } from './process-record';
import { createRekognitionLabeler } from './rekognition-labeler';

/**
 * AWS adapters: the original on S3, labels from Rekognition, dead letters to the queue's DLQ.
 * Nothing of the offline labeler is reachable from here, so it stays out of the Lambda bundle.
 * lambda.ts loads this module at the first event. The SQS client is made only at the first
 * dead letter, the SSM client only when the secret is read from SSM (at the first callback).
 */
export function composeLambda(config: LambdaConfig): BatchHandler {
  const logger = createLogger(config.logLevel);
  const client = createS3Client({
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3ForcePathStyle,
  });
  const store = createS3ObjectStore({ client, bucket: config.bucket });
  // Throttling is Rekognition's usual answer under load: let the SDK back off a few times.
  const rekognition = new RekognitionClient({
    maxAttempts: 5,
    ...(config.rekognitionEndpoint !== undefined && { endpoint: config.rekognitionEndpoint }),
  });
  const labeler = createRekognitionLabeler({ client: rekognition, store });
  const deadLetters = createSqsDeadLetterSink({ queueUrl: config.dlqUrl });
  const callbacks = createCallbackClient({
    baseUrl: config.apiUrl,
    secret: callbackSecretFrom(config.callbackSecret),
  });
  const recordHandler = createRecordHandler({ store, labeler, callbacks, logger });
  return createHandler({ recordHandler, deadLetters, logger });
}
