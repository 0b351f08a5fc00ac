import { configureSharp } from '@gallery/imaging';
import { lambdaWorker } from '@gallery/worker-runtime/lambda';
import { LAMBDA_LABELER_ENV } from './labeler';

configureSharp();

// Configuration is checked at load; the worker's modules and the Rekognition client load at
// the first event. Nothing of the offline labeler is reachable from here, so it stays out of the
// Lambda bundle.
export const handler = lambdaWorker({
  processor: 'tags',
  env: LAMBDA_LABELER_ENV,
  compose: async ({ store, env }) => {
    const [{ tagsWorker }, { createRekognitionLabeler }] = await Promise.all([
      import('./process-record'),
      import('./rekognition-labeler'),
    ]);
    return tagsWorker(createRekognitionLabeler({ store, endpoint: env.REKOGNITION_ENDPOINT }));
  },
});
