import { join } from 'node:path';
import { CATALOG, PROCESSORS, type ProcessorName } from '@gallery/processors';
import { z } from 'zod';

/** An unset or empty variable both mean "not set". */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Comma-separated, blanks dropped; unset or empty means "not set". */
const optionalList = optionalText.transform((value) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
);

const queueUrl = z.url({ protocol: /^https?$/ });

/** One `name=queueUrl|deadLetterQueueUrl` entry of DEAD_LETTER_QUEUES. */
const deadLetterQueue = z
  .string()
  .regex(/^[^=|]+=[^=|]+\|[^=|]+$/, 'expected name=queueUrl|deadLetterQueueUrl')
  .transform((entry) => {
    const [name, urls] = entry.split('=');
    const [source, deadLetters] = urls.split('|');
    return { name: name.trim(), queueUrl: source.trim(), deadLetterQueueUrl: deadLetters.trim() };
  })
  .pipe(z.object({ name: z.string().min(1), queueUrl, deadLetterQueueUrl: queueUrl }));

/** Comma-separated entries, each queue named once; unset or empty means "not set". */
const optionalDeadLetterQueues = optionalList.pipe(
  z
    .array(deadLetterQueue)
    .min(1)
    .refine((queues) => new Set(queues.map(({ name }) => name)).size === queues.length, {
      message: 'names a queue twice',
    })
    .optional(),
);

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: optionalText,
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(8).optional()),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  S3_BUCKET: optionalText,
  SNS_TOPIC_ARN: optionalText,
  /** The local fan-out's queues: the catalog's unless told otherwise. */
  QUEUES: optionalList.transform((queues) => queues ?? CATALOG.map(({ queue }) => queue)),
  /** On AWS: each processor's queue and its DLQ, for the failures page to list and redrive. */
  DEAD_LETTER_QUEUES: optionalDeadLetterQueues,
  SESSION_TTL_HOURS: z.coerce.number().positive().default(168),
  ORPHAN_SWEEP_INTERVAL_MINUTES: z.coerce.number().positive().default(60),
  ORPHAN_SWEEP_GRACE_MINUTES: z.coerce.number().positive().default(60),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(10),
  LOGIN_FAILURES_PER_USER: z.coerce.number().int().positive().default(5),
  LOGIN_RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** `/api/ready` fails once an event has waited this long in the outbox. */
  READY_OUTBOX_MAX_AGE_SECONDS: z.coerce.number().positive().default(300),
  WEB_DIR: optionalText.transform((dir) => dir ?? join(__dirname, '../web')),
  TRUST_PROXY: z.stringbool().default(false),
  /** How long the change feed keeps changes: a stream away longer gets a reset. */
  FEED_RETENTION_HOURS: z.coerce.number().positive().default(24),
  /**
   * After SIGTERM, how long the instance answers `/api/ready` with 503 while still serving,
   * so that a load balancer stops sending it requests before its event streams close.
   */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** `THUMBNAIL_CALLBACK_SECRETS` for `thumbnail`: the secrets its callbacks may be signed with. */
export const callbackSecretsVariable = (processor: string) =>
  `${processor.toUpperCase().replaceAll('-', '_')}_CALLBACK_SECRETS`;

const secretList = optionalList.pipe(z.array(z.string().min(16)).min(1).optional());

/** One variable per processor of the catalog; unset: the local secret file. */
const callbackSecrets = z
  .object(Object.fromEntries(PROCESSORS.map((name) => [callbackSecretsVariable(name), secretList])))
  .transform(
    (variables) =>
      Object.fromEntries(
        PROCESSORS.map((name) => [name, variables[callbackSecretsVariable(name)]]),
      ) as Partial<Record<ProcessorName, string[]>>,
  );

export type ApiConfig = z.infer<typeof environment> & {
  /** Per processor, the secrets accepted, current first; unset: the local secret file. */
  CALLBACK_SECRETS: Partial<Record<ProcessorName, string[]>>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The API's settings from the environment, validated once at start-up. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const result = environment.safeParse(env);
  const secrets = callbackSecrets.safeParse(env);
  const errors = [result.error, secrets.error].filter((error) => error !== undefined);
  if (errors.length > 0 || !result.success || !secrets.success) {
    throw new ConfigError(
      `invalid environment:\n${errors.map((error) => z.prettifyError(error)).join('\n')}`,
      { cause: errors[0] },
    );
  }
  return { ...result.data, CALLBACK_SECRETS: secrets.data };
}
