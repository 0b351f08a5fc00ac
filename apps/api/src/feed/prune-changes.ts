import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from '../housekeeping/periodic';

export const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes the changes appended before `before`, always a first run of numbers (up to the
 * last one that old), and records the last number deleted: a stream asking to resume from
 * before it gets a reset instead of a silent gap. Returns how many were deleted.
 */
export async function pruneChanges(db: Kysely<Database>, before: Date): Promise<number> {
  const { rows } = await sql<{ deleted: string }>`
    with pruned as (
      delete from changes
      where seq <= (select max(seq) from changes where created_at < ${before})
      returning seq
    ), recorded as (
      update feed_state set pruned_through = (select max(seq) from pruned)
      where exists (select from pruned)
    )
    select count(*) as deleted from pruned
  `.execute(db);
  return Number(rows[0].deleted);
}

/** Prunes changes older than the retention every ten minutes, on one instance at a time. */
export function startChangePruning({
  db,
  logger,
  retentionMs,
  intervalMs = PRUNE_INTERVAL_MS,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  retentionMs: number;
  intervalMs?: number;
}): PeriodicTask {
  return startPeriodic({
    name: 'change feed pruning',
    intervalMs,
    runAtStart: true,
    logger,
    lockOn: db,
    task: async (connection) => {
      const deleted = await pruneChanges(connection, new Date(Date.now() - retentionMs));
      if (deleted > 0) logger.info({ deleted }, 'old changes pruned');
    },
  });
}
