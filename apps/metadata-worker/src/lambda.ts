import { lambdaWorker } from '@gallery/worker-runtime/lambda';
import { METADATA_ENV } from './settings';

// Configuration is checked at load; the worker's modules load at the first event.
export const handler = lambdaWorker({
  processor: 'metadata',
  env: METADATA_ENV,
  compose: async ({ env }) =>
    (await import('./process-record')).metadataWorker({ keepLocation: env.METADATA_KEEP_LOCATION }),
});
