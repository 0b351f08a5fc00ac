import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/messaging';
import { composeLocal } from './compose-local';
import { loadLocalConfig } from './config';

/** The model runs one image at a time; a small batch keeps leases short. */
const BATCH_SIZE = 4;

async function main(): Promise<void> {
  configureSharp();
  const config = loadLocalConfig();
  const { logger, queue, labeler, handler } = composeLocal(config);
  await startLocalWorker({
    name: 'tags worker',
    queue,
    handler,
    logger,
    batchSize: BATCH_SIZE,
    config,
    // Load the model before leasing anything, so the first image does not wait on it.
    ready: async () => {
      const started = performance.now();
      await labeler.load();
      const loadMs = Math.round(performance.now() - started);
      logger.info({ labeler: labeler.name, loadMs }, 'labeler ready');
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
