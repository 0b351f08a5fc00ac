import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createCallbackClient } from '@gallery/api-client';
import { createSqsDeadLetterSink } from '@gallery/messaging';
import { createS3Client, createS3ObjectStore } from '@gallery/storage';
import type { LambdaConfig } from './config';
import { createHandler, type BatchHandler } from './handler';
import { createLogger } from './logger';
import { createRecordHandler } from './process-record';
import { createRekognitionLabeler } from './rekognition-labeler';

/**
 * AWS adapters: the original on S3, labels from Rekognition, dead letters to the queue's DLQ.
 * Nothing of the offline labeler is reachable from here, so it stays out of the Lambda bundle.
 */
export function composeLambda(config: LambdaConfig): BatchHandler {
  const logger = createLogger(config.logLevel);
  const store = createS3ObjectStore({ client: createS3Client(), bucket: config.bucket });
  // Throttling is Rekognition's usual answer under load: let the SDK back off a few times.
  const rekognition = new RekognitionClient({ maxAttempts: 5 });
  const labeler = createRekognitionLabeler({ client: rekognition, store });
  const deadLetters = createSqsDeadLetterSink({
    client: new SQSClient({}),
    queueUrl: config.dlqUrl,
  });
  const callbacks = createCallbackClient({ baseUrl: config.apiUrl, secret: config.callbackSecret });
  const recordHandler = createRecordHandler({ store, labeler, callbacks, logger });
  return createHandler({ recordHandler, deadLetters, logger });
}
