import { resultOf, type Callback } from '@gallery/message-schema';
import type { ProcessorName } from '@gallery/processors';
import type { Kysely, Transaction } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import type { Database, ProcessingRow } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { ImageNotFoundError } from '../images/errors';
import { findImageView } from '../images/image-views';

export type RecordOutcome = 'changed' | 'unchanged';

/** What a report did: nothing, or a change (appended to the feed). */
export interface Recorded {
  outcome: RecordOutcome;
}

/**
 * Runs `apply` (which records the report with recordProcessingResult, locking the image) in a
 * transaction, and on a change reads the image's view and appends it to the feed in that same
 * transaction.
 */
export function recordInTransaction(
  db: Kysely<Database>,
  imageId: string,
  apply: (trx: Transaction<Database>) => Promise<RecordOutcome>,
): Promise<Recorded> {
  return db.transaction().execute(async (trx) => {
    const outcome = await apply(trx);
    if (outcome === 'unchanged') return { outcome };
    const view = await findImageView(trx, imageId);
    if (view) await appendChange(trx, { type: 'image.updated', data: view });
    return { outcome };
  });
}

/** What a report says, whichever event carried it: a re-published event changes nothing. */
function stateOf(report: Callback): Pick<ProcessingRow, 'status' | 'error' | 'result'> {
  if (report.status === 'failed') return { status: 'failed', error: report.error, result: null };
  // As the database gives it back: what JSON cannot hold (an undefined field) is left out.
  return { status: 'done', error: null, result: JSON.parse(JSON.stringify(resultOf(report))) };
}

/**
 * Locks the image and records a processor's report, keyed by image and processor. Returns
 * 'unchanged' for a report that would change nothing: a duplicate (of this event or of another
 * event with the same result), or a late failure of an event that has since succeeded. Throws
 * ImageNotFoundError when the image is gone.
 */
export async function recordProcessingResult(
  trx: Transaction<Database>,
  imageId: string,
  processor: ProcessorName,
  report: Callback,
): Promise<RecordOutcome> {
  const image = await trx
    .selectFrom('images')
    .select('id')
    .where('id', '=', imageId)
    .forUpdate()
    .executeTakeFirst();
  if (!image) throw new ImageNotFoundError(imageId);

  const state = stateOf(report);
  const previous = await trx
    .selectFrom('processing')
    .select(['status', 'error', 'result', 'event_id'])
    .where('image_id', '=', imageId)
    .where('processor', '=', processor)
    .executeTakeFirst();
  if (previous) {
    const { status, error, result } = previous;
    if (isDeepStrictEqual({ status, error, result }, state)) return 'unchanged';
  }
  if (
    previous?.status === 'done' &&
    state.status === 'failed' &&
    previous.event_id === report.eventId
  ) {
    return 'unchanged';
  }

  const row = {
    ...state,
    result: state.result === null ? null : JSON.stringify(state.result),
    event_id: report.eventId,
    updated_at: new Date(),
  };
  await trx
    .insertInto('processing')
    .values({ image_id: imageId, processor, ...row })
    .onConflict((conflict) => conflict.columns(['image_id', 'processor']).doUpdateSet(row))
    .execute();
  return 'changed';
}
