import {
  loadLambdaWorkerConfig,
  loadLocalWorkerConfig,
  type Env,
  type LambdaWorkerConfig,
  type LocalWorkerConfig,
} from '@gallery/messaging';

// The thumbnail worker needs nothing beyond what every worker reads.
export type LocalConfig = LocalWorkerConfig;
export type LambdaConfig = LambdaWorkerConfig;

/** The local runner's configuration: everything under DATA_DIR unless told otherwise. */
export function loadLocalConfig(env: Env = process.env): LocalConfig {
  return loadLocalWorkerConfig(env, 'thumbnails').config;
}

/** The Lambda's configuration: the bucket, the DLQ and the callback secret are required. */
export function loadLambdaConfig(env: Env = process.env): LambdaConfig {
  return loadLambdaWorkerConfig(env).config;
}
