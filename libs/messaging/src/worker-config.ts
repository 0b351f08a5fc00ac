import path from 'node:path';
// A namespace import: a bundle then keeps only the zod it uses (`{ z }` keeps all of it).
import * as z from 'zod';
import { ConfigError } from './errors';

/*
 * The settings every queue worker shares. Each worker's own `config.ts` reads `process.env`
 * and hands it to the functions below, with these schemas extended by its own variables.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Env = Record<string, string | undefined>;

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const workerEnv = z.object({
  API_URL: z.url().default('http://127.0.0.1:3000'),
  CALLBACK_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** A worker run by the local runner: everything under DATA_DIR unless told otherwise. */
export const localWorkerEnv = workerEnv.extend({
  DATA_DIR: z.string().min(1).default('.data'),
  QUEUE_DIR: z.string().min(1).optional(),
  VISIBILITY_TIMEOUT_SECONDS: count(30),
  MAX_RECEIVE_COUNT: count(5),
  POLL_INTERVAL_MS: count(100),
});

/**
 * A worker in Lambda: the bucket, the DLQ and the callback secret are required; the secret
 * given as the name of an SSM SecureString parameter (read at cold start), or as itself.
 */
export const lambdaWorkerEnv = workerEnv.extend({
  S3_BUCKET: z.string().min(1),
  DLQ_URL: z.url(),
  CALLBACK_SECRET_PARAMETER: z.string().min(1).optional(),
  // Any S3-compatible server instead of AWS's (MinIO, or s3rver in the zip's test).
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().optional(),
});

export interface LocalWorkerConfig {
  apiUrl: string;
  /** Unset: the shared secret file under `dataDir`. */
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

type LocalWorkerEnv = z.output<typeof localWorkerEnv>;
type LambdaWorkerEnv = z.output<typeof lambdaWorkerEnv>;

/**
 * A local worker's configuration, its queue `$DATA_DIR/queues/<queueName>` unless QUEUE_DIR is
 * set. A worker with variables of its own passes `localWorkerEnv` extended with them, and
 * finds their values in `parsed`.
 */
export function loadLocalWorkerConfig<T extends z.ZodType<LocalWorkerEnv>>(
  env: Env,
  queueName: string,
  schema?: T,
): { config: LocalWorkerConfig; parsed: z.output<T> } {
  const parsed: LocalWorkerEnv = parseEnv(schema ?? localWorkerEnv, env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  const config = {
    apiUrl: parsed.API_URL,
    callbackSecret: parsed.CALLBACK_SECRET,
    logLevel: parsed.LOG_LEVEL,
    dataDir,
    queueDir: path.resolve(parsed.QUEUE_DIR ?? path.join(dataDir, 'queues', queueName)),
    visibilityTimeoutSeconds: parsed.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: parsed.MAX_RECEIVE_COUNT,
    pollIntervalMs: parsed.POLL_INTERVAL_MS,
  };
  // `schema`, when given, is what parsed the environment.
  return { config, parsed: parsed as z.output<T> };
}

/** A Lambda worker's configuration; `schema` and `parsed` as for `loadLocalWorkerConfig`. */
export function loadLambdaWorkerConfig<T extends z.ZodType<LambdaWorkerEnv>>(
  env: Env,
  schema?: T,
): { config: LambdaWorkerConfig; parsed: z.output<T> } {
  const parsed: LambdaWorkerEnv = parseEnv(schema ?? lambdaWorkerEnv, env);
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
  // `schema`, when given, is what parsed the environment.
  return { config, parsed: parsed as z.output<T> };
}

/** Parses the environment; throws a ConfigError naming every variable that is wrong. */
function parseEnv<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(`invalid environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
