import { imageIdOfKey, type ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from './periodic';

export interface OrphanSweepDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  logger: Pick<Logger, 'info'>;
}

export interface OrphanSweepResult {
  /** Objects (originals and thumbnails) whose image has no row. */
  objects: number;
  /** Puts a crash cut off. */
  incompletePuts: number;
}

/** Ids looked up in the database at a time. */
const BATCH = 500;

/**
 * Reconciles the store with the database after a crash. An upload stores its original
 * before it commits the row, and a delete removes the row before the objects: so a process
 * killed half-way leaves objects without a row, never a row without its original. Those
 * objects, and the temporary files of puts cut off, are removed here once older than
 * `writtenBefore`: anything newer may belong to an upload about to commit.
 */
export async function sweepOrphans(
  deps: OrphanSweepDeps,
  writtenBefore: Date,
): Promise<OrphanSweepResult> {
  let objects = 0;
  for (const prefix of ['originals/', 'thumbnails/']) {
    for await (const batch of keysByImage(deps.store.list(prefix), BATCH)) {
      const known = await existingIds(deps.db, [...batch.keys()]);
      for (const [imageId, keys] of batch) {
        if (known.has(imageId)) continue;
        for (const key of keys) {
          const head = await deps.store.head(key);
          if (!head || head.lastModified >= writtenBefore) continue;
          await deps.store.delete(key);
          deps.logger.info({ imageId, key }, 'orphan object removed');
          objects++;
        }
      }
    }
  }
  const incompletePuts = await deps.store.removeIncompletePuts(writtenBefore);
  if (incompletePuts > 0) deps.logger.info({ incompletePuts }, 'incomplete puts removed');
  return { objects, incompletePuts };
}

/** Groups keys by their image, `size` images at a time; keys of no image are left alone. */
async function* keysByImage(
  keys: AsyncIterable<string>,
  size: number,
): AsyncGenerator<Map<string, string[]>> {
  let batch = new Map<string, string[]>();
  for await (const key of keys) {
    const imageId = imageIdOfKey(key);
    if (imageId === null) continue;
    // Keys come in order, so an image's keys are together: a batch never splits them.
    if (batch.size >= size && !batch.has(imageId)) {
      yield batch;
      batch = new Map();
    }
    batch.set(imageId, [...(batch.get(imageId) ?? []), key]);
  }
  if (batch.size > 0) yield batch;
}

async function existingIds(db: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('images').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Sweeps at start, after a crash is likeliest to have left something, then every interval;
 * one instance at a time.
 */
export function startOrphanSweep(
  deps: OrphanSweepDeps & { logger: Pick<Logger, 'error'> },
  { intervalMs, graceMs }: { intervalMs: number; graceMs: number },
): PeriodicTask {
  return startPeriodic({
    name: 'orphan sweep',
    intervalMs,
    runAtStart: true,
    logger: deps.logger,
    lockOn: deps.db,
    task: async (connection) => {
      await sweepOrphans({ ...deps, db: connection }, new Date(Date.now() - graceMs));
    },
  });
}
