import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { deleteExpiredSessions } from './sessions';

export const SESSION_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * Expired sessions are already refused; this deletes them now and then, so that the table
 * does not keep every session ever opened. A failed sweep is logged and tried again later.
 */
export function startSessionSweep({
  db,
  logger,
  intervalMs = SESSION_SWEEP_INTERVAL_MS,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}) {
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      const deleted = await deleteExpiredSessions(db);
      if (deleted > 0) logger.info({ deleted }, 'expired sessions deleted');
    } catch (error) {
      logger.error({ err: error }, 'session sweep failed');
    }
  };
  const timer = setInterval(() => {
    running = running.then(sweep);
  }, intervalMs);
  timer.unref();
  return {
    /** Stops the timer and waits for a sweep under way, before the database closes. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
