import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import pino, { type Logger } from 'pino';
import { createCallbackClient } from '@gallery/api-client';
import {
  createLocalWorkerMessaging,
  createSqsDeadLetterSink,
  type FileQueue,
  callbackSecretFrom,
} from '@gallery/messaging';
import { createFsObjectStore, createS3Client, createS3ObjectStore } from '@gallery/storage';
import type { LambdaConfig, LocalConfig } from './config';
import { createHandler } from './handler';
import { createRecordHandler } from './process-record';

export type BatchHandler = ReturnType<typeof createHandler>;

const createLogger = (level: string): Logger => pino({ name: 'thumbnail-worker', level });

/** AWS adapters: the original and the thumbnails on S3, dead letters to the queue's DLQ. */
export function composeLambda(config: LambdaConfig): BatchHandler {
  const logger = createLogger(config.logLevel);
  const client = createS3Client({
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3ForcePathStyle,
  });
  const store = createS3ObjectStore({ client, bucket: config.bucket });
  const deadLetters = createSqsDeadLetterSink({
    client: new SQSClient({}),
    queueUrl: config.dlqUrl,
  });
  const callbacks = createCallbackClient({
    baseUrl: config.apiUrl,
    secret: callbackSecretFrom(config.callbackSecret, () => new SSMClient({})),
  });
  const recordHandler = createRecordHandler({ store, callbacks, logger });
  return createHandler({ recordHandler, deadLetters, logger });
}

export interface LocalWorker {
  logger: Logger;
  queue: FileQueue;
  handler: BatchHandler;
}

/** Embedded adapters: objects under DATA_DIR, a file queue, dead letters in its directory. */
export function composeLocal(config: LocalConfig): LocalWorker {
  const logger = createLogger(config.logLevel);
  const store = createFsObjectStore({ root: path.join(config.dataDir, 'objects') });
  const { queue, deadLetters, callbackSecret } = createLocalWorkerMessaging(config, 'thumbnail');
  const callbacks = createCallbackClient({ baseUrl: config.apiUrl, secret: callbackSecret });
  const recordHandler = createRecordHandler({ store, callbacks, logger });
  const handler = createHandler({ recordHandler, deadLetters, logger });
  return { logger, queue, handler };
}
