import type { GalleryEvent } from '@gallery/message-schema';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

/**
 * What the feed holds: the gallery's events, which every stream sends on, and the sessions
 * that just ended, whose streams every instance closes (sent to no one).
 */
export type FeedEvent = GalleryEvent | { type: 'sessions.ended'; data: { sessionIds: string[] } };

/** The channel every instance listens on; a notification carries a change's number only. */
export const CHANGES_CHANNEL = 'gallery_changes';

/**
 * Appends a change to the feed, in the transaction that makes it, and returns its number.
 * The number is `feed_state.last_seq + 1`, taken by updating that row: its lock is held
 * until commit, so a second writer waits for the first to commit before taking the next
 * number, and numbers become visible in order. The notification is sent at commit, and
 * only then (a rolled-back change notifies nobody).
 */
export async function appendChange(trx: Transaction<Database>, event: FeedEvent): Promise<number> {
  const { rows } = await sql<{ seq: string }>`
    with next as (
      update feed_state set last_seq = last_seq + 1 returning last_seq
    ), appended as (
      insert into changes (seq, type, data)
      select last_seq, ${event.type}, ${JSON.stringify(event.data)}::jsonb from next
      returning seq
    )
    select seq, pg_notify(${CHANGES_CHANNEL}, seq::text) from appended
  `.execute(trx);
  return Number(rows[0].seq);
}
