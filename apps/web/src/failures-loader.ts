import type { FailureView } from '@gallery/message-schema';
import { errorMessage, isUnauthorized } from './api';
import type { Store } from './store';

export interface FailuresLoaderDeps {
  listFailures: () => Promise<FailureView[]>;
  redriveFailures: () => Promise<number>;
  store: Store;
  onUnauthorized: () => void;
  schedule?: (run: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
  /** When to look again after something failed or was sent back, counted from then. */
  followUpMs?: readonly number[];
}

/**
 * A worker reports a failure before it dead-letters the message, and a message sent back
 * fails again without any event (its image already shows that failure): so the list is
 * read again a few times after either, until the failure has had time to land.
 */
export const FOLLOW_UP_MS = [1_000, 5_000, 15_000, 30_000] as const;

/** Reads the dead letters into the store and sends them back on request. */
export function createFailuresLoader({
  listFailures,
  redriveFailures,
  store,
  onUnauthorized,
  schedule = (run, ms) => setTimeout(run, ms),
  cancel = (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  followUpMs = FOLLOW_UP_MS,
}: FailuresLoaderDeps) {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let timers: unknown[] = [];

  function fail(error: unknown, type: 'failures.failed' | 'redrive.failed'): void {
    if (isUnauthorized(error)) onUnauthorized();
    else store.dispatch({ type, message: errorMessage(error) });
  }

  async function load(): Promise<void> {
    store.dispatch({ type: 'failures.requested' });
    try {
      store.dispatch({ type: 'failures.loaded', items: await listFailures() });
    } catch (error) {
      fail(error, 'failures.failed');
    }
  }

  /**
   * One list request at a time, so that an older answer never lands after a newer one; a
   * refresh asked for meanwhile runs once, after it.
   */
  function refresh(): Promise<void> {
    if (running) {
      queued ??= running.then(() => {
        queued = null;
        return refresh();
      });
      return queued;
    }
    running = load().finally(() => {
      running = null;
    });
    return running;
  }

  function stopFollowUp(): void {
    timers.forEach((timer) => cancel(timer));
    timers = [];
  }

  /** Reads the list again at each of `followUpMs`; asked again, it starts over. */
  function followUp(): void {
    stopFollowUp();
    timers = followUpMs.map((ms) => schedule(() => void refresh(), ms));
  }

  return {
    refresh,
    followUp,
    /** Sends every dead letter back, then reads the list now and while they are retried. */
    async redrive(): Promise<void> {
      if (store.getState().failures.redrive.status === 'running') return;
      store.dispatch({ type: 'redrive.requested' });
      try {
        store.dispatch({ type: 'redrive.done', moved: await redriveFailures() });
        followUp();
      } catch (error) {
        fail(error, 'redrive.failed');
      }
      await refresh();
    },
    stop: stopFollowUp,
  };
}

export type FailuresLoader = ReturnType<typeof createFailuresLoader>;
