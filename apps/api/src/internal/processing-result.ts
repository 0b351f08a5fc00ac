import type { ImageView, Processor } from '@gallery/message-schema';
import type { Kysely, Transaction } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import type { Database } from '../db/schema';
import { ImageNotFoundError } from '../images/errors';
import { findImageView } from '../images/image-views';

export type RecordOutcome = 'changed' | 'unchanged';

/** What a report did: nothing, or a change and the image's view just after it. */
export type Recorded = { outcome: 'unchanged' } | { outcome: 'changed'; view: ImageView | null };

/**
 * Runs `apply` (which records the report with recordProcessingResult, locking the image) in a
 * transaction, and on a change reads the image's view in that same transaction, under the
 * lock: views of one image are then published in the order of their changes, even on a pool
 * of connections where two reports for one image are recorded side by side.
 */
export function recordInTransaction(
  db: Kysely<Database>,
  imageId: string,
  apply: (trx: Transaction<Database>) => Promise<RecordOutcome>,
): Promise<Recorded> {
  return db.transaction().execute(async (trx) => {
    const outcome = await apply(trx);
    if (outcome === 'unchanged') return { outcome };
    return { outcome, view: await findImageView(trx, imageId) };
  });
}

export interface ProcessorReport {
  status: 'done' | 'failed';
  eventId: string;
  error?: string;
}

/** What a report says, whichever event carried it: a re-published event changes nothing. */
function content(report: unknown): unknown {
  return Object.fromEntries(
    Object.entries(report as ProcessorReport).filter(([key]) => key !== 'eventId'),
  );
}

/**
 * Locks the image and records a processor's report as its result, keyed by image and
 * processor. Returns 'unchanged' for a report that would change nothing: a duplicate (of this
 * event or of another event with the same result), or a
 * late failure of an event that has since succeeded. Throws ImageNotFoundError when the
 * image is gone.
 */
export async function recordProcessingResult(
  trx: Transaction<Database>,
  imageId: string,
  processor: Processor,
  report: ProcessorReport,
): Promise<RecordOutcome> {
  const image = await trx
    .selectFrom('images')
    .select('id')
    .where('id', '=', imageId)
    .forUpdate()
    .executeTakeFirst();
  if (!image) throw new ImageNotFoundError(imageId);

  const previous = await trx
    .selectFrom('processing_results')
    .select(['status', 'event_id', 'payload'])
    .where('image_id', '=', imageId)
    .where('processor', '=', processor)
    .executeTakeFirst();
  if (previous && isDeepStrictEqual(content(previous.payload), content(report))) return 'unchanged';
  if (
    previous?.status === 'done' &&
    report.status === 'failed' &&
    previous.event_id === report.eventId
  ) {
    return 'unchanged';
  }

  const row = {
    event_id: report.eventId,
    status: report.status,
    error: report.status === 'failed' ? (report.error ?? 'failed') : null,
    payload: JSON.stringify(report),
    updated_at: new Date(),
  };
  await trx
    .insertInto('processing_results')
    .values({ image_id: imageId, processor, ...row })
    .onConflict((conflict) => conflict.columns(['image_id', 'processor']).doUpdateSet(row))
    .execute();
  return 'changed';
}
