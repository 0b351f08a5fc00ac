import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const common = z.object({
  API_URL: z.url().default('http://127.0.0.1:3000'),
  CALLBACK_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

const localEnv = common.extend({
  DATA_DIR: z.string().min(1).default('.data'),
  QUEUE_DIR: z.string().min(1).optional(),
  VISIBILITY_TIMEOUT_SECONDS: count(30),
  MAX_RECEIVE_COUNT: count(5),
  POLL_INTERVAL_MS: count(100),
});

const lambdaEnv = common.extend({
  S3_BUCKET: z.string().min(1),
  DLQ_URL: z.url(),
  CALLBACK_SECRET: z.string().min(16),
});

export interface LocalConfig {
  apiUrl: string;
  /** Unset: the shared secret file under `dataDir`. */
  callbackSecret: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  queueDir: string;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  pollIntervalMs: number;
}

export interface LambdaConfig {
  apiUrl: string;
  callbackSecret: string;
  logLevel: (typeof LOG_LEVELS)[number];
  bucket: string;
  dlqUrl: string;
}

type Env = Record<string, string | undefined>;

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(`invalid environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The local runner's configuration: everything under DATA_DIR unless told otherwise. */
export function loadLocalConfig(env: Env = process.env): LocalConfig {
  const parsed = parse(localEnv, env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  return {
    apiUrl: parsed.API_URL,
    callbackSecret: parsed.CALLBACK_SECRET,
    logLevel: parsed.LOG_LEVEL,
    dataDir,
    queueDir: path.resolve(parsed.QUEUE_DIR ?? path.join(dataDir, 'queues', 'thumbnails')),
    visibilityTimeoutSeconds: parsed.VISIBILITY_TIMEOUT_SECONDS,
    maxReceiveCount: parsed.MAX_RECEIVE_COUNT,
    pollIntervalMs: parsed.POLL_INTERVAL_MS,
  };
}

/** The Lambda's configuration: the bucket, the DLQ and the callback secret are required. */
export function loadLambdaConfig(env: Env = process.env): LambdaConfig {
  const parsed = parse(lambdaEnv, env);
  return {
    apiUrl: parsed.API_URL,
    callbackSecret: parsed.CALLBACK_SECRET,
    logLevel: parsed.LOG_LEVEL,
    bucket: parsed.S3_BUCKET,
    dlqUrl: parsed.DLQ_URL,
  };
}
