import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from '../housekeeping/periodic';
import { deleteExpiredSessions } from './sessions';

export const SESSION_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * Expired sessions are already refused; this deletes them now and then, so that the table
 * does not keep every session ever opened. One instance at a time does it.
 */
export function startSessionSweep({
  db,
  logger,
  intervalMs = SESSION_SWEEP_INTERVAL_MS,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}): PeriodicTask {
  return startPeriodic({
    name: 'session sweep',
    intervalMs,
    logger,
    lockOn: db,
    task: async (connection) => {
      const deleted = await deleteExpiredSessions(connection);
      if (deleted > 0) logger.info({ deleted }, 'expired sessions deleted');
    },
  });
}
