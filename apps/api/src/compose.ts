import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  createFileDeadLetters,
  createFilePublisher,
  createSnsPublisher,
  createSqsDeadLetters,
  loadOrCreateLocalSecret,
  type DeadLetters,
  type Publisher,
} from '@gallery/messaging';
import { perProcessor, type ProcessorName } from '@gallery/processors';
import {
  createFsObjectStore,
  createS3Client,
  createS3ObjectStore,
  type ObjectStore,
} from '@gallery/storage';
import { join, resolve } from 'node:path';
import type { AppDeps } from './app';
import type { ApiConfig } from './config';
import { connectPglite, connectPostgres, type DatabaseHandle } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { FollowedChanges } from './feed/follow-changes';
import { createApiReadiness } from './health/api-readiness';
import type { Readiness } from './health/readiness';

export interface Adapters {
  database: DatabaseHandle;
  store: ObjectStore;
  publisher: Publisher;
  /** Null on AWS unless DEAD_LETTER_QUEUES names the queues and their DLQs. */
  deadLetters: DeadLetters | null;
  callbackSecrets: Record<ProcessorName, readonly string[]>;
}

/**
 * The adapters configuration asks for: PostgreSQL or PGlite, S3 or a directory, SNS or
 * file queues, callback secrets from the environment or the local secret files. The
 * schema is migrated before anything uses it.
 */
export async function composeAdapters(config: ApiConfig): Promise<Adapters> {
  const dataDir = resolve(config.DATA_DIR);
  const database = config.DATABASE_URL
    ? connectPostgres(config.DATABASE_URL)
    : await connectPglite(join(dataDir, 'db'));
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = config.S3_BUCKET
    ? createS3ObjectStore({ client: createS3Client(), bucket: config.S3_BUCKET })
    : createFsObjectStore({ root: join(dataDir, 'objects') });
  const publisher = config.SNS_TOPIC_ARN
    ? createSnsPublisher({ client: new SNSClient({}), topicArn: config.SNS_TOPIC_ARN })
    : createFilePublisher({ queuesDir: join(dataDir, 'queues'), queues: config.QUEUES });
  const deadLetters = composeDeadLetters(config, dataDir);
  const callbackSecrets = perProcessor(
    (name) => config.CALLBACK_SECRETS[name] ?? [loadOrCreateLocalSecret(dataDir, name)],
  );
  return { database, store, publisher, deadLetters, callbackSecrets };
}

/**
 * The dead letters the failures page shows and redrives: the file queues' locally, the SQS
 * DLQs on AWS once DEAD_LETTER_QUEUES names them (null otherwise: the routes answer 501).
 */
export function composeDeadLetters(config: ApiConfig, dataDir: string): DeadLetters | null {
  if (!config.SNS_TOPIC_ARN) {
    return createFileDeadLetters({ queuesDir: join(dataDir, 'queues'), queues: config.QUEUES });
  }
  if (!config.DEAD_LETTER_QUEUES) return null;
  return createSqsDeadLetters({ client: new SQSClient({}), queues: config.DEAD_LETTER_QUEUES });
}

/** The app's dependencies from the adapters and the settings. */
export function appDeps(
  config: ApiConfig,
  adapters: Adapters,
  nudgeOutbox: () => void,
  changes: FollowedChanges,
): AppDeps & { readiness: Readiness } {
  const readiness = createApiReadiness({
    db: adapters.database.db,
    store: adapters.store,
    publisher: adapters.publisher,
    outboxMaxAgeSeconds: config.READY_OUTBOX_MAX_AGE_SECONDS,
    checks: {
      // Without its listener an instance would serve event streams that stay silent.
      liveUpdates: async () => {
        if (!changes.listener.connected()) throw new Error('the change listener is reconnecting');
      },
    },
  });
  return {
    readiness,
    db: adapters.database.db,
    store: adapters.store,
    hub: changes.hub,
    nudgeOutbox,
    callbackSecrets: adapters.callbackSecrets,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    deadLetters: adapters.deadLetters ?? undefined,
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginLimits: {
      perIp: config.LOGIN_RATE_LIMIT_PER_IP,
      failuresPerUser: config.LOGIN_FAILURES_PER_USER,
      windowMs: config.LOGIN_RATE_LIMIT_WINDOW_MINUTES * 60_000,
    },
    webDir: config.WEB_DIR,
  };
}
