import type { Callback, CallbackOf } from '@gallery/message-schema';
import { CATALOG, type ProcessorName } from '@gallery/processors';
import type { ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordInTransaction, recordProcessingResult, type Recorded } from './processing-result';
import { recordTags } from './record-tags';
import { recordThumbnails } from './record-thumbnails';

export interface RecorderDeps {
  db: Kysely<Database>;
  store: ObjectStore;
}

export type Recorder<N extends ProcessorName> = (
  deps: RecorderDeps,
  imageId: string,
  report: CallbackOf<N>,
) => Promise<Recorded>;

/** The processors the catalog says keep their results in tables of their own. */
type RecorderStored = Extract<(typeof CATALOG)[number], { storage: 'recorder' }>['name'];

/** The API code of each processor that needs tables of its own. */
export const RECORDERS: { [N in RecorderStored]: Recorder<N> } = {
  thumbnail: recordThumbnails,
  tags: ({ db }, imageId, report) => recordTags(db, imageId, report),
};

/** A processor with no needs of its own: its report in the processing table, nothing more. */
function recordAsJson(processor: ProcessorName): Recorder<ProcessorName> {
  return ({ db }, imageId, report) =>
    recordInTransaction(db, imageId, (trx) =>
      recordProcessingResult(trx, imageId, processor, report),
    );
}

/** How a processor's callback is stored: by its own recorder, or as JSON. */
export function recorderOf(
  processor: ProcessorName,
): (deps: RecorderDeps, imageId: string, report: Callback) => Promise<Recorded> {
  const own = (RECORDERS as Partial<Record<ProcessorName, Recorder<ProcessorName>>>)[processor];
  return own ?? recordAsJson(processor);
}
