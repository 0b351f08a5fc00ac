import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { startPeriodic, type PeriodicTask } from './periodic';
import { HOURLY_MS } from './row-sweep';

/**
 * What PostgreSQL's autovacuum does, for PGlite, which has none: at start and then hourly,
 * reclaim dead rows and refresh the planner's statistics. Without them a search for common
 * words is planned as if they were rare (a bitmap of thousands of rows, sorted) instead of a
 * walk down the newest images that stops at the page's end.
 */
export function startVacuum({
  db,
  logger,
  intervalMs = HOURLY_MS,
}: {
  db: Kysely<Database>;
  logger: Pick<Logger, 'info' | 'error'>;
  intervalMs?: number;
}): PeriodicTask {
  return startPeriodic({
    name: 'vacuum',
    intervalMs,
    runAtStart: true,
    logger,
    task: async () => {
      const started = performance.now();
      await sql`vacuum (analyze)`.execute(db);
      logger.info({ ms: Math.round(performance.now() - started) }, 'vacuumed');
    },
  });
}
