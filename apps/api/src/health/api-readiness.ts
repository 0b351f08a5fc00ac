import type { Publisher } from '@gallery/messaging';
import type { ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { checkDatabase, checkMigrations, checkOutbox } from './database-checks';
import { createReadiness, type Readiness, type ReadinessCheck } from './readiness';

export interface ApiReadinessDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'probe'>;
  publisher: Pick<Publisher, 'probe'>;
  /** READY_OUTBOX_MAX_AGE_SECONDS: how old the oldest unpublished event may be. */
  outboxMaxAgeSeconds: number;
  /** More checks by name, e.g. whether the live-update listener is connected. */
  checks?: Record<string, ReadinessCheck>;
  timeoutMs?: number;
  cacheMs?: number;
}

/** The API can serve when its database, schema, object store and publisher all answer. */
export function createApiReadiness({
  db,
  store,
  publisher,
  outboxMaxAgeSeconds,
  checks = {},
  timeoutMs,
  cacheMs,
}: ApiReadinessDeps): Readiness {
  return createReadiness({
    checks: {
      database: () => checkDatabase(db),
      migrations: () => checkMigrations(db),
      objectStore: () => store.probe(),
      publisher: () => publisher.probe(),
      outbox: () => checkOutbox(db, outboxMaxAgeSeconds),
      ...checks,
    },
    timeoutMs,
    cacheMs,
  });
}
