import { configureSharp } from '@gallery/imaging';
import { lambdaWorker } from '@gallery/worker-runtime/lambda';

configureSharp();

// Configuration is checked at load; the worker's modules load at the first event.
export const handler = lambdaWorker({
  processor: 'thumbnail',
  compose: async () => (await import('./process-record')).thumbnailWorker(),
});
