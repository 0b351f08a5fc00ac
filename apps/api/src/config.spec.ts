import { join } from 'node:path';
import { CATALOG } from '@gallery/processors';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has defaults for a local start', () => {
    const config = loadConfig({});

    expect(config).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: '.data',
      DATABASE_URL: undefined,
      ADMIN_PASSWORD: undefined,
      MAX_UPLOAD_BYTES: 52_428_800,
      CALLBACK_SECRETS: {},
      S3_BUCKET: undefined,
      SNS_TOPIC_ARN: undefined,
      QUEUES: CATALOG.map(({ queue }) => queue),
      DEAD_LETTER_QUEUES: undefined,
      SESSION_TTL_HOURS: 168,
      ORPHAN_SWEEP_INTERVAL_MINUTES: 60,
      ORPHAN_SWEEP_GRACE_MINUTES: 60,
      LOGIN_RATE_LIMIT_PER_IP: 10,
      LOGIN_FAILURES_PER_USER: 5,
      LOGIN_RATE_LIMIT_WINDOW_MINUTES: 15,
      WEB_DIR: join(__dirname, '../web'),
      TRUST_PROXY: false,
      READY_OUTBOX_MAX_AGE_SECONDS: 300,
      FEED_RETENTION_HOURS: 24,
      SHUTDOWN_DRAIN_SECONDS: 10,
      LOG_LEVEL: 'info',
    });
  });

  it('trusts a proxy only when told to', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(ConfigError);
  });

  it('reads lists of secrets, current first, and treats empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      THUMBNAIL_CALLBACK_SECRETS: ' current-secret-0123456789 , previous-secret-0123456789 ',
      TAGS_CALLBACK_SECRETS: '',
      S3_BUCKET: '',
      QUEUES: 'thumbnails',
    });

    expect(config.PORT).toBe(8080);
    expect(config.CALLBACK_SECRETS.thumbnail).toEqual([
      'current-secret-0123456789',
      'previous-secret-0123456789',
    ]);
    expect(config.CALLBACK_SECRETS.tags).toBeUndefined();
    expect(config.S3_BUCKET).toBeUndefined();
    expect(config.QUEUES).toEqual(['thumbnails']);
  });

  it('reads each queue with its dead-letter queue from DEAD_LETTER_QUEUES', () => {
    const sqs = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
    const config = loadConfig({
      DEAD_LETTER_QUEUES: ` thumbnails=${sqs}/g-thumbnails|${sqs}/g-thumbnails-dlq , tags = ${sqs}/g-tags | ${sqs}/g-tags-dlq `,
    });

    expect(config.DEAD_LETTER_QUEUES).toEqual([
      {
        name: 'thumbnails',
        queueUrl: `${sqs}/g-thumbnails`,
        deadLetterQueueUrl: `${sqs}/g-thumbnails-dlq`,
      },
      { name: 'tags', queueUrl: `${sqs}/g-tags`, deadLetterQueueUrl: `${sqs}/g-tags-dlq` },
    ]);
    expect(loadConfig({ DEAD_LETTER_QUEUES: ' ' }).DEAD_LETTER_QUEUES).toBeUndefined();
  });

  it.each([
    ['an entry without its dead-letter queue', 'tags=https://sqs.test/1/tags'],
    ['an entry without a name', 'https://sqs.test/1/tags|https://sqs.test/1/tags-dlq'],
    ['an entry with a third URL', 'tags=https://sqs.test/1/a|https://sqs.test/1/b|https://c.test'],
    ['a queue URL that is no URL', 'tags=gallery-tags|https://sqs.test/1/tags-dlq'],
    ['a queue URL that is not http', 'tags=ftp://sqs.test/1/tags|https://sqs.test/1/tags-dlq'],
    [
      'a queue named twice',
      'tags=https://sqs.test/1/a|https://sqs.test/1/a-dlq,tags=https://sqs.test/1/b|https://sqs.test/1/b-dlq',
    ],
  ])('refuses DEAD_LETTER_QUEUES with %s', (_case, value) => {
    expect(() => loadConfig({ DEAD_LETTER_QUEUES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DEAD_LETTER_QUEUES: value })).toThrow(/DEAD_LETTER_QUEUES/);
  });

  it.each([
    ['a port that is not a number', { PORT: 'http' }, /PORT/],
    ['a short admin password', { ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD/],
    ['a short callback secret', { TAGS_CALLBACK_SECRETS: 'abc' }, /TAGS_CALLBACK_SECRETS/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %s and names the variable', (_case, env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
