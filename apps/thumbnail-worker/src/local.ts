import pLimit from 'p-limit';
import { configureSharp } from '@gallery/imaging';
import { startLocalWorker } from '@gallery/worker-runtime/local';
import { thumbnailWorker } from './process-record';

/** Originals read and decoded at once: a few keep both cores busy and memory bounded. */
const RENDERS_AT_ONCE = 4;

/**
 * Records in flight: more than the renders, so that while some store their thumbnails and call
 * back, the next ones are already decoding. One record per batch, so that a new record starts as
 * soon as any one is done rather than when its whole batch is.
 */
const IN_FLIGHT = 6;

configureSharp();
void startLocalWorker({
  processor: 'thumbnail',
  batchSize: 1,
  concurrency: IN_FLIGHT,
  compose: () => thumbnailWorker({ decodeSlot: pLimit(RENDERS_AT_ONCE) }),
});
