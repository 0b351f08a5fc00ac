import { startLocalWorker } from '@gallery/worker-runtime/local';
import { metadataWorker } from './process-record';

/** Records handled at once: the worker's measure of what one machine can take. */
const BATCH_SIZE = 4;

void startLocalWorker({
  processor: 'metadata',
  batchSize: BATCH_SIZE,
  compose: () => metadataWorker(),
});
