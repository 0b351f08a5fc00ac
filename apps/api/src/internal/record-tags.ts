import type { TagsCallback } from '@gallery/message-schema';
import type { Label } from '@gallery/processors';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { normalizeTagName } from '../images/tag-names';
import { MANUAL_TAG_SOURCE } from '../images/update-image';
import { InvalidCallbackError } from './errors';
import {
  recordInTransaction,
  recordProcessingResult,
  type Recorded,
  type RecordOutcome,
} from './processing-result';

/**
 * Stores the tags worker's report. On success the labeler's tags replace every earlier
 * labeler tag of the image (the tags worker owns them all, whichever labeler it ran);
 * manual tags stay. Idempotent.
 */
export async function recordTags(
  db: Kysely<Database>,
  imageId: string,
  report: TagsCallback,
): Promise<Recorded> {
  if (report.status === 'done' && report.labeler === MANUAL_TAG_SOURCE) {
    throw new InvalidCallbackError(`"${MANUAL_TAG_SOURCE}" is not a labeler name`);
  }
  return recordInTransaction(db, imageId, (trx) => saveTags(trx, imageId, report));
}

async function saveTags(
  trx: Transaction<Database>,
  imageId: string,
  report: TagsCallback,
): Promise<RecordOutcome> {
  const outcome = await recordProcessingResult(trx, imageId, 'tags', report);
  if (outcome === 'unchanged' || report.status === 'failed') return outcome;
  await trx
    .deleteFrom('image_tags')
    .where('image_id', '=', imageId)
    .where('source', '<>', MANUAL_TAG_SOURCE)
    .execute();
  const labels = strongestByName(report.tags);
  if (labels.length > 0) {
    await trx
      .insertInto('image_tags')
      .values(
        labels.map(({ name, confidence }) => ({
          image_id: imageId,
          name,
          confidence,
          source: report.labeler,
        })),
      )
      .execute();
  }
  return outcome;
}

/** Normalized names, each once, with its highest confidence. */
function strongestByName(labels: readonly Label[]): Label[] {
  const byName = new Map<string, number>();
  for (const label of labels) {
    const name = normalizeTagName(label.name);
    if (name === '') continue;
    byName.set(name, Math.max(label.confidence, byName.get(name) ?? -Infinity));
  }
  return [...byName].map(([name, confidence]) => ({ name, confidence }));
}
