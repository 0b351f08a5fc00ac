import path from 'node:path';
import { processorNamed, type ProcessorName } from '@gallery/processors';
// A namespace import: a bundle then keeps only the zod it uses (`{ z }` keeps all of it).
import * as z from 'zod';

/*
 * The settings every queue worker shares, read from the environment. A worker with variables of
 * its own gives their schema (a `z.object`) and finds their values, checked and typed, in `env`.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Env = Record<string, string | undefined>;

/** The schema of a worker's own variables; none by default. */
export type OwnEnvSchema = z.ZodType<object>;
export type NoOwnEnv = z.ZodObject<Record<never, never>>;

/** The environment does not describe a runnable worker. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const workerEnv = z.object({
  API_URL: z.url().default('http://127.0.0.1:3000'),
  CALLBACK_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** A worker run by the local runner: everything under DATA_DIR unless told otherwise. */
const localWorkerEnv = workerEnv.extend({
  DATA_DIR: z.string().min(1).default('.data'),
  QUEUE_DIR: z.string().min(1).optional(),
  VISIBILITY_TIMEOUT_SECONDS: count(30),
  MAX_RECEIVE_COUNT: count(5),
  POLL_INTERVAL_MS: count(100),
});

/**
 * A worker in Lambda: the bucket, the DLQ and the callback secret are required; the secret
 * given as the name of an SSM SecureString parameter (read at the first callback), or as itself.
 */
const lambdaWorkerEnv = workerEnv.extend({
  S3_BUCKET: z.string().min(1),
  DLQ_URL: z.url(),
  CALLBACK_SECRET_PARAMETER: z.string().min(1).optional(),
  // Any S3-compatible server instead of AWS's (MinIO, or s3rver in the zip's test).
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().optional(),
});

export interface LocalWorkerConfig {
  apiUrl: string;
  /** Unset: the processor's secret file under `dataDir`. */
  callbackSecret: string | undefined;
  logLevel: LogLevel;
  dataDir: string;
  queueDir: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  pollIntervalMs: number;
}

/** Where a Lambda worker's callback secret comes from. */
export type CallbackSecretSource = { value: string } | { parameter: string };

export interface LambdaWorkerConfig {
  apiUrl: string;
  callbackSecret: CallbackSecretSource;
  logLevel: LogLevel;
  bucket: string;
  dlqUrl: string;
  /** Unset: AWS's own S3 endpoint. */
  s3Endpoint?: string;
  s3ForcePathStyle?: boolean;
}

/** A worker's configuration, and the values of its own variables. */
export interface Loaded<Config, O extends OwnEnvSchema> {
  config: Config;
  env: z.output<O>;
}

/**
 * A local worker's configuration, its queue `$DATA_DIR/queues/<queue>` (the processor's queue
 * in the catalog) unless QUEUE_DIR is set.
 */
export function loadLocalWorkerConfig<O extends OwnEnvSchema = NoOwnEnv>(
  processor: ProcessorName,
  env: Env,
  own?: O,
): Loaded<LocalWorkerConfig, O> {
  const [parsed, ownValues] = parseEnv(localWorkerEnv, own, env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  const { queue } = processorNamed(processor);
  const config = {
    apiUrl: parsed.API_URL,
    callbackSecret: parsed.CALLBACK_SECRET,
    logLevel: parsed.LOG_LEVEL,
    dataDir,
    queueDir: path.resolve(parsed.QUEUE_DIR ?? path.join(dataDir, 'queues', queue)),
    visibilityTimeoutSeconds: parsed.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: parsed.MAX_RECEIVE_COUNT,
    pollIntervalMs: parsed.POLL_INTERVAL_MS,
  };
  return { config, env: ownValues };
}

/** A Lambda worker's configuration; `own` as for `loadLocalWorkerConfig`. */
export function loadLambdaWorkerConfig<O extends OwnEnvSchema = NoOwnEnv>(
  env: Env,
  own?: O,
): Loaded<LambdaWorkerConfig, O> {
  const [parsed, ownValues] = parseEnv(lambdaWorkerEnv, own, env);
  const secret = parsed.CALLBACK_SECRET;
  const parameter = parsed.CALLBACK_SECRET_PARAMETER;
  if ((secret === undefined) === (parameter === undefined)) {
    throw new ConfigError(
      'invalid environment: set exactly one of CALLBACK_SECRET_PARAMETER (the name of an SSM SecureString) and CALLBACK_SECRET',
    );
  }
  const config: LambdaWorkerConfig = {
    apiUrl: parsed.API_URL,
    callbackSecret: secret !== undefined ? { value: secret } : { parameter: parameter as string },
    logLevel: parsed.LOG_LEVEL,
    bucket: parsed.S3_BUCKET,
    dlqUrl: parsed.DLQ_URL,
    s3Endpoint: parsed.S3_ENDPOINT,
    s3ForcePathStyle: parsed.S3_FORCE_PATH_STYLE,
  };
  return { config, env: ownValues };
}

/**
 * Parses the environment with the shared schema and the worker's own; throws a ConfigError
 * naming every variable that is wrong, in either.
 */
function parseEnv<T extends z.ZodType, O extends OwnEnvSchema>(
  shared: T,
  own: O | undefined,
  env: Env,
): [z.output<T>, z.output<O>] {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const sharedResult = shared.safeParse(present);
  const ownResult = (own ?? z.object({})).safeParse(present);
  const problems = [sharedResult, ownResult].flatMap((result) =>
    result.success ? [] : [z.prettifyError(result.error)],
  );
  if (!sharedResult.success || !ownResult.success) {
    throw new ConfigError(`invalid environment:\n${problems.join('\n')}`);
  }
  return [sharedResult.data, ownResult.data as z.output<O>];
}
