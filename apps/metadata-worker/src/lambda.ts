import { lambdaWorker } from '@gallery/worker-runtime/lambda';

// Configuration is checked at load; the worker's modules load at the first event.
export const handler = lambdaWorker({
  processor: 'metadata',
  compose: async () => (await import('./process-record')).metadataWorker(),
});
