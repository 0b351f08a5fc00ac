import { createCallbackClient } from '@gallery/api-client';
import { createSqsDeadLetterSink } from '@gallery/messaging';
import type { ProcessorName } from '@gallery/processors';
import { createS3Client, createS3ObjectStore } from '@gallery/storage';
import { callbackSecretFrom } from './callback-secret';
import type { LambdaWorkerDefinition } from './lambda';
import { createWorkerLogger } from './logger';
import { createBatchHandler, type BatchHandler } from './record-handler';
import type { Worker } from './worker';
import type { LambdaWorkerConfig, Loaded, OwnEnvSchema } from './worker-config';

/**
 * AWS adapters: the original and what the worker writes on S3, dead letters to the queue's
 * DLQ, callbacks signed with the secret from the environment or SSM. lambda.ts loads this
 * module at the first event.
 */
export async function composeLambdaHandler<N extends ProcessorName, O extends OwnEnvSchema>(
  { processor, compose }: LambdaWorkerDefinition<N, O>,
  { config, env }: Loaded<LambdaWorkerConfig, O>,
): Promise<BatchHandler> {
  const logger = createWorkerLogger(processor, config.logLevel);
  const client = createS3Client({
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3ForcePathStyle,
  });
  const store = createS3ObjectStore({ client, bucket: config.bucket });
  const worker: Worker<N> = await compose({ env, store, logger });
  return createBatchHandler({
    worker,
    store,
    logger,
    deadLetters: createSqsDeadLetterSink({ queueUrl: config.dlqUrl }),
    callbacks: createCallbackClient({
      processor,
      baseUrl: config.apiUrl,
      secret: callbackSecretFrom(config.callbackSecret),
    }),
  });
}
