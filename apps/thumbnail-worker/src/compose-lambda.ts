import { createCallbackClient } from '@gallery/api-client';
import { callbackSecretFrom, createSqsDeadLetterSink } from '@gallery/messaging';
import { createS3Client, createS3ObjectStore } from '@gallery/storage';
import type { LambdaConfig } from './config';
import { createHandler, type BatchHandler } from './handler';
import { createLogger } from './logger';
import { createRecordHandler } from './process-record';

/**
 * AWS adapters: the original and the thumbnails on S3, dead letters to the queue's DLQ.
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
  const deadLetters = createSqsDeadLetterSink({ queueUrl: config.dlqUrl });
  const callbacks = createCallbackClient({
    baseUrl: config.apiUrl,
    secret: callbackSecretFrom(config.callbackSecret),
  });
  const recordHandler = createRecordHandler({ store, callbacks, logger });
  return createHandler({ recordHandler, deadLetters, logger });
}
