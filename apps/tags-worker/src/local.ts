import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/worker-runtime/local';
import { LOCAL_LABELER_ENV } from './labeler';
import { createLocalLabeler } from './local-labeler';
import { tagsWorker } from './process-record';

/** The model runs one image at a time; a small batch keeps leases short. */
const BATCH_SIZE = 4;

configureSharp();
void startLocalWorker({
  processor: 'tags',
  env: LOCAL_LABELER_ENV,
  batchSize: BATCH_SIZE,
  compose: ({ store, env }) =>
    tagsWorker(createLocalLabeler({ store, minConfidence: env.LABEL_MIN_CONFIDENCE })),
  // Load the model before leasing anything, so the first image does not wait on it.
  ready: async ({ labeler }, { logger }) => {
    const started = performance.now();
    await labeler.load();
    const loadMs = Math.round(performance.now() - started);
    logger.info({ labeler: labeler.name, loadMs }, 'labeler ready');
  },
});
