// What every worker shares, whichever its runtime: the contract, the per-record flow and the
// batch handling, the configuration. The runtimes themselves are `@gallery/worker-runtime/lambda`
// and `@gallery/worker-runtime/local`, so that a bundle takes in only its own.
export type { Work, WorkContext, Worker, WorkerRuntime } from './worker';
export { createBatchHandler, createRecordHandler } from './record-handler';
export type { BatchHandler, BatchHandlerDeps, RecordHandlerDeps } from './record-handler';
export type { RecordHandler, RecordOutcome } from './batch';
export {
  ConfigError,
  LOG_LEVELS,
  loadLambdaWorkerConfig,
  loadLocalWorkerConfig,
} from './worker-config';
export type {
  CallbackSecretSource,
  Env,
  LambdaWorkerConfig,
  Loaded,
  LocalWorkerConfig,
  LogLevel,
  OwnEnvSchema,
} from './worker-config';
