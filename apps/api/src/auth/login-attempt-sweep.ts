import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from '../housekeeping/periodic';
import { deleteExpiredLoginAttempts } from './login-attempts';

export const LOGIN_ATTEMPT_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * An ended window is already started over by the next attempt on its key; this deletes the
 * rest now and then, so that addresses and user names tried once do not stay for good.
 * One instance at a time does it.
 */
export function startLoginAttemptSweep({
  db,
  logger,
  intervalMs = LOGIN_ATTEMPT_SWEEP_INTERVAL_MS,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}): PeriodicTask {
  return startPeriodic({
    name: 'login attempt sweep',
    intervalMs,
    logger,
    lockOn: db,
    task: async (connection) => {
      const deleted = await deleteExpiredLoginAttempts(connection);
      if (deleted > 0) logger.info({ deleted }, 'ended login attempt windows deleted');
    },
  });
}
