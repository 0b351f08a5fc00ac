import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ProcessorName } from '@gallery/processors';
import type * as z from 'zod';
import { composeOnFirstEvent } from './compose-on-first-event';
import type { Worker, WorkerRuntime } from './worker';
import {
  loadLambdaWorkerConfig,
  type Env,
  type NoOwnEnv,
  type OwnEnvSchema,
} from './worker-config';

// The Lambda entry point of a worker, imported as `@gallery/worker-runtime/lambda`: nothing of
// the local runner or the file queue is reachable from here.

export interface LambdaWorkerDefinition<N extends ProcessorName, O extends OwnEnvSchema> {
  processor: N;
  /** The worker's own variables, beside those every worker reads; checked at load too. */
  env?: O;
  /**
   * Makes the worker at the first event. Import the worker's modules here, with `import()`, so
   * that they load then and the cold start's init stays short.
   */
  compose: (runtime: WorkerRuntime<z.output<O>>) => Promise<Worker<N>>;
}

/**
 * A worker's Lambda handler. Its configuration is read and checked at load: a misconfigured
 * function fails its cold start, not an event. The AWS SDK, the clients and the worker's own
 * modules load at the first event, once per container; the SQS client only at the first dead
 * letter, the SSM client only when the callback secret is read from SSM (at the first callback).
 */
export function lambdaWorker<N extends ProcessorName, O extends OwnEnvSchema = NoOwnEnv>(
  definition: LambdaWorkerDefinition<N, O>,
  env: Env = process.env,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const loaded = loadLambdaWorkerConfig(env, definition.env);
  return composeOnFirstEvent(async () =>
    (await import('./lambda-handler')).composeLambdaHandler(definition, loaded),
  );
}
