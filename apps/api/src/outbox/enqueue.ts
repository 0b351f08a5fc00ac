import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface OutgoingEvent {
  type: string;
  payload: unknown;
}

/** Records an event to publish; call it in the transaction that makes the event true. */
export async function enqueueEvent(trx: Kysely<Database>, event: OutgoingEvent): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({ type: event.type, payload: JSON.stringify(event.payload) })
    .execute();
}
