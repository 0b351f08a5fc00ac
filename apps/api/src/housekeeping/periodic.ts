import type { Logger } from 'pino';

export interface PeriodicTask {
  /** Stops the timer and waits for a run under way, before what it uses is closed. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (and once at once when `runAtStart`), never two runs at a
 * time. A failed run is logged and the next one comes as planned.
 */
export function startPeriodic({
  name,
  intervalMs,
  runAtStart = false,
  task,
  logger,
}: {
  name: string;
  intervalMs: number;
  runAtStart?: boolean;
  task: () => Promise<void>;
  logger: Pick<Logger, 'error'>;
}): PeriodicTask {
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      await task();
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
