import { configureSharp } from '@gallery/imaging';
import { composeOnFirstEvent } from '@gallery/messaging';
import { loadLambdaConfig } from './config';

configureSharp();
// Read and checked at load: a misconfigured function fails its cold start, not an event.
const config = loadLambdaConfig();

// The AWS SDK, the clients and the worker's own modules load at the first event, once per
// container, which keeps the module's init short.
export const handler = composeOnFirstEvent(async () =>
  (await import('./compose-lambda')).composeLambda(config),
);
