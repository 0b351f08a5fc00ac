import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose';
import { loadLocalConfig } from './config';

/**
 * Images in flight: a few at a time keeps memory bounded on a small machine and both cores
 * busy. One record per batch, so that a new image starts as soon as any one is done rather than
 * when its whole batch is.
 */
const IN_FLIGHT = 4;

async function main(): Promise<void> {
  configureSharp();
  const config = loadLocalConfig();
  const { logger, queue, handler } = composeLocal(config);
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
