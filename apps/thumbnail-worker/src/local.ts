import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose';
import { loadLocalConfig } from './config';

/** Originals read and decoded at once: a few keep both cores busy and memory bounded. */
const RENDERS_AT_ONCE = 4;

/**
 * Records in flight: more than the renders, so that while some store their thumbnails and call
 * back, the next ones are already decoding. One record per batch, so that a new record starts as
 * soon as any one is done rather than when its whole batch is.
 */
const IN_FLIGHT = 6;

async function main(): Promise<void> {
  configureSharp();
  const config = loadLocalConfig();
  const { logger, queue, handler } = composeLocal(config, { rendersAtOnce: RENDERS_AT_ONCE });
  await startLocalWorker({
    name: 'thumbnail worker',
    queue,
    handler,
    logger,
    batchSize: 1,
    concurrency: IN_FLIGHT,
    config,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
