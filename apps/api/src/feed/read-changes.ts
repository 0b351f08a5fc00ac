import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { FeedEvent } from './append-change';

/** A change as the feed holds it: its number and the event. */
export interface Change {
  seq: number;
  event: FeedEvent;
}

export interface FeedPosition {
  /** The number of the last change committed. */
  last: number;
  /** The last number pruning removed: changes up to it are gone. */
  prunedThrough: number;
}

export async function readPosition(db: Kysely<Database>): Promise<FeedPosition> {
  const row = await db
    .selectFrom('feed_state')
    .select(['last_seq', 'pruned_through'])
    .executeTakeFirstOrThrow();
  return { last: Number(row.last_seq), prunedThrough: Number(row.pruned_through) };
}

/** Up to `limit` changes numbered after `after`, in order. */
export async function readChanges(
  db: Kysely<Database>,
  after: number,
  limit: number,
): Promise<Change[]> {
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'type', 'data'])
    .where('seq', '>', String(after))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    event: { type: row.type, data: row.data } as FeedEvent,
  }));
}
