import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from './periodic';

export const HOURLY_MS = 3_600_000;

export interface RowSweepDeps {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}

/**
 * Deletes rows nobody needs any more every `intervalMs` (hourly unless told), on one instance
 * at a time (an advisory lock named after the sweep), and logs how many went.
 */
export function startRowSweep(
  { db, logger, intervalMs = HOURLY_MS }: RowSweepDeps,
  {
    name,
    deleted: message,
    runAtStart = false,
    sweep,
  }: {
    name: string;
    /** The log line when rows went. */
    deleted: string;
    runAtStart?: boolean;
    /** Deletes through the lock's connection; returns how many rows went. */
    sweep: (connection: Kysely<Database>) => Promise<number>;
  },
): PeriodicTask {
  return startPeriodic({
    name,
    intervalMs,
    runAtStart,
    logger,
    lockOn: db,
    task: async (connection) => {
      const deleted = await sweep(connection);
      if (deleted > 0) logger.info({ deleted }, message);
    },
  });
}
