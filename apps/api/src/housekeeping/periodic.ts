import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { withAdvisoryLock } from './advisory-lock';

export interface PeriodicTask {
  /** Stops the timer and waits for a run under way, before what it uses is closed. */
  stop(): Promise<void>;
}

export type PeriodicOptions<DB> = {
  /** Names the task in the log, and its advisory lock. */
  name: string;
  intervalMs: number;
  runAtStart?: boolean;
  logger: Pick<Logger, 'error'>;
} & (
  | { lockOn?: undefined; task: () => Promise<void> }
  | {
      /**
       * Each run holds the advisory lock named after the task on this database, so that of
       * several instances one runs it at a time; a run that finds it taken is skipped. The
       * task gets the lock's connection (see `withAdvisoryLock`).
       */
      lockOn: Kysely<DB>;
      task: (connection: Kysely<DB>) => Promise<void>;
    }
);

/**
 * Runs `task` every `intervalMs` (and once at once when `runAtStart`), never two runs at a
 * time. A failed run is logged and the next one comes as planned.
 */
export function startPeriodic<DB>(options: PeriodicOptions<DB>): PeriodicTask {
  const { name, intervalMs, runAtStart = false, logger } = options;
  const once = async () => {
    if (options.lockOn === undefined) await options.task();
    else await withAdvisoryLock(options.lockOn, name, options.task);
  };
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      await once();
    } catch (error) {
      logger.error({ err: error }, `${name} failed`);
    }
  };
  const schedule = () => {
    running = running.then(run);
  };
  if (runAtStart) schedule();
  const timer = setInterval(schedule, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
