import sharp from 'sharp';
import { runLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose';
import { loadLocalConfig } from './config';
import { allowOnlyImageDecoders } from './sharp-setup';

/** Records of a batch run in parallel: a few at a time keeps memory bounded on a small machine. */
const BATCH_SIZE = 4;

async function main(): Promise<void> {
  // Each image is read once: sharp's cache would only hold memory.
  sharp.cache(false);
  allowOnlyImageDecoders();

  const config = loadLocalConfig();
  const { logger, queue, handler } = composeLocal(config);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping after the batch in flight');
      stop.abort();
    });
  }

  logger.info({ queueDir: config.queueDir }, 'thumbnail worker started');
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
  logger.info('thumbnail worker stopped');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
