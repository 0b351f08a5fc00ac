import type { FileQueue } from '@gallery/messaging';
import type { BatchLogger } from './batch';
import { runLocalWorker, type SqsBatchHandler } from './local-runner';
import type { LocalWorkerConfig } from './worker-config';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/** Where stop signals come from: the process, or a stand-in in tests. */
export interface SignalSource {
  once(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

export interface RunUntilStoppedSettings {
  /** Names the worker in its log lines, e.g. `thumbnail worker`. */
  name: string;
  queue: FileQueue;
  handler: SqsBatchHandler;
  logger: BatchLogger;
  /** Records of a batch run in parallel: the worker's measure of what its machine can take. */
  batchSize: number;
  /**
   * Batches handled at once (1 by default), so at most `batchSize × concurrency` records are
   * in flight; a new batch is leased as soon as one settles.
   */
  concurrency?: number;
  config: Pick<LocalWorkerConfig, 'pollIntervalMs' | 'visibilityTimeoutSeconds'>;
  /** Awaited before the first lease, e.g. to load a model rather than make an image wait. */
  ready?: () => Promise<void>;
  signals?: SignalSource;
}

/**
 * Runs the handler on its file queue until SIGINT or SIGTERM, then stops once the batches in
 * flight are settled. A second signal is left to its default, so it ends the process at once.
 */
export async function runUntilStopped(settings: RunUntilStoppedSettings): Promise<void> {
  const { name, queue, handler, logger, batchSize, config, signals = process } = settings;
  const stop = new AbortController();
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = () => {
      logger.info({ signal }, 'stopping after the batch in flight');
      stop.abort();
      removeListeners();
    };
    signals.once(signal, listener);
    return { signal, listener };
  });
  const removeListeners = () =>
    listeners.forEach(({ signal, listener }) => signals.off(signal, listener));

  try {
    await settings.ready?.();
    logger.info({ queueDir: queue.dir }, `${name} started`);
    await runLocalWorker({
      queue,
      handler,
      batchSize,
      concurrency: settings.concurrency,
      pollIntervalMs: config.pollIntervalMs,
      // As in Lambda, a failed record comes back once its visibility timeout has passed.
      retryDelaySeconds: config.visibilityTimeoutSeconds,
      logger,
      signal: stop.signal,
    });
    logger.info({}, `${name} stopped`);
  } finally {
    removeListeners();
  }
}
