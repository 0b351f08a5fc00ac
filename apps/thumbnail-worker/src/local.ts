import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose';
import { loadLocalConfig } from './config';

/** Records of a batch run in parallel: a few at a time keeps memory bounded on a small machine. */
const BATCH_SIZE = 4;

async function main(): Promise<void> {
  configureSharp();
  const config = loadLocalConfig();
  const { logger, queue, handler } = composeLocal(config);
  await startLocalWorker({
    name: 'thumbnail worker',
    queue,
    handler,
    logger,
    batchSize: BATCH_SIZE,
    config,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
