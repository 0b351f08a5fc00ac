// A namespace import: a bundle then keeps only the zod it uses (`{ z }` keeps all of it).
import * as z from 'zod';
import {
  lambdaWorkerEnv,
  loadLambdaWorkerConfig,
  loadLocalWorkerConfig,
  localWorkerEnv,
  type Env,
  type LambdaWorkerConfig,
  type LocalWorkerConfig,
} from '@gallery/messaging';

const localEnv = localWorkerEnv.extend({
  // Rekognition needs AWS: the local runner has only the offline labeler.
  LABELER: z.literal('local').default('local'),
  LABEL_MIN_CONFIDENCE: z.coerce.number().min(0).max(100).default(40),
});

const lambdaEnv = lambdaWorkerEnv.extend({
  LABELER: z.literal('rekognition').default('rekognition'),
  // Another Rekognition endpoint than the region's own (a FIPS or VPC endpoint).
  REKOGNITION_ENDPOINT: z.url().optional(),
});

export interface LocalConfig extends LocalWorkerConfig {
  labeler: 'local';
  /** Percent. */
  labelMinConfidence: number;
}

export interface LambdaConfig extends LambdaWorkerConfig {
  labeler: 'rekognition';
  /** Unset: the region's Rekognition endpoint. */
  rekognitionEndpoint?: string;
}

/** The local runner's configuration: everything under DATA_DIR unless told otherwise. */
export function loadLocalConfig(env: Env = process.env): LocalConfig {
  const { config, parsed } = loadLocalWorkerConfig(env, 'tags', localEnv);
  return { ...config, labeler: parsed.LABELER, labelMinConfidence: parsed.LABEL_MIN_CONFIDENCE };
}

/** The Lambda's configuration: the bucket, the DLQ and the callback secret are required. */
export function loadLambdaConfig(env: Env = process.env): LambdaConfig {
  const { config, parsed } = loadLambdaWorkerConfig(env, lambdaEnv);
  return {
    ...config,
    labeler: parsed.LABELER,
    rekognitionEndpoint: parsed.REKOGNITION_ENDPOINT,
  };
}
