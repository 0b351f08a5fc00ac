import type { Publisher } from '@gallery/messaging';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface RelayDeps {
  db: Kysely<Database>;
  publisher: Publisher;
  /** Rows taken per round. */
  batchSize?: number;
  /** Told of each event as soon as the publisher has accepted it, e.g. to log it. */
  onPublished?: (event: { type: string; payload: unknown }) => void;
}

export interface RelayRound {
  published: number;
  /** The failure that ended the round early; its row stays pending. */
  failure?: unknown;
  /** True when the round took a full batch, so more may be waiting. */
  more: boolean;
}

const DEFAULT_BATCH_SIZE = 50;
const MAX_ERROR_LENGTH = 2000;

/**
 * Publishes pending outbox rows in id order and marks each one published. The first
 * failure records its error and ends the round, so the order holds; the row is tried again
 * next round. A row may be published twice (a crash between publish and mark): subscribers
 * are idempotent. Rows are locked with SKIP LOCKED, so concurrent relays never block.
 */
export async function publishPendingEvents(deps: RelayDeps): Promise<RelayRound> {
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  return deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('outbox')
      .select(['id', 'type', 'payload'])
      .where('published_at', 'is', null)
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    let published = 0;
    for (const row of rows) {
      try {
        await deps.publisher.publish({ type: row.type, body: JSON.stringify(row.payload) });
      } catch (failure) {
        await trx
          .updateTable('outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: String(failure).slice(0, MAX_ERROR_LENGTH),
          }))
          .where('id', '=', row.id)
          .execute();
        return { published, failure, more: false };
      }
      deps.onPublished?.({ type: row.type, payload: row.payload });
      await trx
        .updateTable('outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), published_at: new Date() }))
        .where('id', '=', row.id)
        .execute();
      published += 1;
    }
    return { published, more: rows.length === batchSize };
  });
}
