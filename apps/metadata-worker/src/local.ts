import { startLocalWorker } from '@gallery/worker-runtime/local';
import { metadataWorker } from './process-record';
import { METADATA_ENV } from './settings';

/** Records handled at once: each reads a file's head and parses it, which is quick. */
const BATCH_SIZE = 4;

void startLocalWorker({
  processor: 'metadata',
  env: METADATA_ENV,
  batchSize: BATCH_SIZE,
  compose: ({ env }) => metadataWorker({ keepLocation: env.METADATA_KEEP_LOCATION }),
});
