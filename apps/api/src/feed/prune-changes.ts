import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PeriodicTask } from '../housekeeping/periodic';
import { startRowSweep, type RowSweepDeps } from '../housekeeping/row-sweep';

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
  retentionMs,
  intervalMs = PRUNE_INTERVAL_MS,
  ...deps
}: RowSweepDeps & { retentionMs: number }): PeriodicTask {
  return startRowSweep(
    { ...deps, intervalMs },
    {
      name: 'change feed pruning',
      deleted: 'old changes pruned',
      runAtStart: true,
      sweep: (connection) => pruneChanges(connection, new Date(Date.now() - retentionMs)),
    },
  );
}
