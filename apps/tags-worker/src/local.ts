import { runLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose-local';
import { loadLocalConfig } from './config';
import { configureSharp } from './sharp-setup';

/** The model runs one image at a time; a small batch keeps leases short. */
const BATCH_SIZE = 4;

async function main(): Promise<void> {
  configureSharp();
  const config = loadLocalConfig();
  const { logger, queue, labeler, handler } = composeLocal(config);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping after the batch in flight');
      stop.abort();
    });
  }

  // Load the model before leasing anything, so the first image does not wait on it.
  const started = performance.now();
  await labeler.load();
  logger.info(
    { labeler: labeler.name, loadMs: Math.round(performance.now() - started) },
    'labeler ready',
  );

  logger.info({ queueDir: config.queueDir }, 'tags worker started');
  await runLocalWorker({
    queue,
    handler,
    batchSize: BATCH_SIZE,
    pollIntervalMs: config.pollIntervalMs,
    // As in Lambda, a failed record comes back once its visibility timeout has passed.
    retryDelaySeconds: config.visibilityTimeoutSeconds,
    logger,
    signal: stop.signal,
  });
  logger.info('tags worker stopped');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
