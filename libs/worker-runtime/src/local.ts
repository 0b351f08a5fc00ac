import path from 'node:path';
import { createCallbackClient } from '@gallery/api-client';
import type { ProcessorName } from '@gallery/processors';
import { createFsObjectStore } from '@gallery/storage';
import type * as z from 'zod';
import { createLocalWorkerMessaging } from './local-worker-messaging';
import { createWorkerLogger } from './logger';
import { createBatchHandler } from './record-handler';
import { runUntilStopped, type SignalSource } from './run-until-stopped';
import type { Worker, WorkerRuntime } from './worker';
import { loadLocalWorkerConfig, type Env, type NoOwnEnv, type OwnEnvSchema } from './worker-config';

// The local entry point of a worker, imported as `@gallery/worker-runtime/local`: nothing of
// the AWS SDK is reachable from here.

export type { SignalSource };

export interface LocalWorkerDefinition<
  N extends ProcessorName,
  O extends OwnEnvSchema,
  W extends Worker<N>,
> {
  processor: N;
  /** The worker's own variables, beside those every worker reads. */
  env?: O;
  /** Records of a batch run in parallel: the worker's measure of what its machine can take. */
  batchSize: number;
  /**
   * Batches handled at once (1 by default), so at most `batchSize × concurrency` records are
   * in flight; a new batch is leased as soon as one settles.
   */
  concurrency?: number;
  compose: (runtime: WorkerRuntime<z.output<O>>) => W | Promise<W>;
  /** Awaited before the first lease, e.g. to load a model rather than make an image wait. */
  ready?: (worker: W, runtime: WorkerRuntime<z.output<O>>) => Promise<void>;
}

export interface StartLocalWorkerOptions {
  /** `process.env` unless given. */
  env?: Env;
  /** The process's signals unless given. */
  signals?: SignalSource;
}

/**
 * A worker's local entry point: objects under DATA_DIR, the processor's file queue and its
 * dead letters, callbacks signed with the secret it shares with the API. Runs until SIGINT or
 * SIGTERM, then resolves once the batches in flight are settled. A worker that cannot start
 * (its configuration, its composition or `ready` failed) prints why and ends the process.
 */
export function startLocalWorker<
  N extends ProcessorName,
  O extends OwnEnvSchema = NoOwnEnv,
  W extends Worker<N> = Worker<N>,
>(
  definition: LocalWorkerDefinition<N, O, W>,
  options: StartLocalWorkerOptions = {},
): Promise<void> {
  return runLocalWorkerProcess(definition, options).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

async function runLocalWorkerProcess<
  N extends ProcessorName,
  O extends OwnEnvSchema,
  W extends Worker<N>,
>(
  definition: LocalWorkerDefinition<N, O, W>,
  { env: environment = process.env, signals }: StartLocalWorkerOptions,
): Promise<void> {
  const { processor } = definition;
  const { config, env } = loadLocalWorkerConfig(processor, environment, definition.env);
  const logger = createWorkerLogger(processor, config.logLevel);
  const store = createFsObjectStore({ root: path.join(config.dataDir, 'objects') });
  const { queue, deadLetters, callbackSecret } = createLocalWorkerMessaging(config, processor);
  const callbacks = createCallbackClient({
    processor,
    baseUrl: config.apiUrl,
    secret: callbackSecret,
  });
  const runtime = { env, store, logger };
  const worker = await definition.compose(runtime);
  const { ready } = definition;
  await runUntilStopped({
    name: `${processor} worker`,
    queue,
    handler: createBatchHandler({ worker, store, callbacks, deadLetters, logger }),
    logger,
    batchSize: definition.batchSize,
    concurrency: definition.concurrency,
    config,
    ready: ready && (() => ready(worker, runtime)),
    signals,
  });
}
