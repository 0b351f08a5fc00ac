import { watch, type FSWatcher } from 'node:fs';

/** Wakes a receiver waiting on an empty queue as soon as a message may have arrived. */
export interface Arrivals {
  /**
   * Resolves at the next change in the directory (at once if it changed since the last
   * call), after `timeoutMs` at the latest, or when the signal aborts.
   */
  next(timeoutMs: number): Promise<void>;
}

/**
 * Arrivals in a directory, from the file system's change notices (inotify on Linux). Where
 * they are not to be had, or stop, `next` simply waits out its timeout: the receiver polls as
 * it would without them. One waiter at a time; the watch ends with the signal.
 */
export function watchArrivals(dir: string, signal: AbortSignal): Arrivals {
  let watcher: FSWatcher | undefined;
  let changed = false;
  let wake: (() => void) | undefined;

  function startWatching(): void {
    if (watcher || signal.aborted) return;
    try {
      watcher = watch(dir, { persistent: false, signal }, () => {
        changed = true;
        wake?.();
      });
      // E.g. the directory was removed: fall back to the timeout, and watch again next time.
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      // No notices here (no directory yet, or no watches left): the timeout stands in.
    }
  }

  return {
    next(timeoutMs) {
      startWatching();
      if (changed || signal.aborted) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
  };
}
