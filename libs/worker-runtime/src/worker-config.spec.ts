import path from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  loadLambdaWorkerConfig,
  loadLocalWorkerConfig,
  type Env,
} from './worker-config';

const loadLocal = (env: Env) => loadLocalWorkerConfig('thumbnail', env).config;
const loadLambda = (env: Env) => loadLambdaWorkerConfig(env).config;

describe('local worker configuration', () => {
  it('runs with no environment at all, everything under .data', () => {
    // act
    const config = loadLocal({});

    // assess
    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      callbackSecret: undefined,
      logLevel: 'info',
      dataDir: path.resolve('.data'),
      queueDir: path.resolve('.data/queues/thumbnails'),
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      pollIntervalMs: 100,
    });
  });

  it('takes every setting from the environment, an empty one counting as unset', () => {
    // prepare
    const env = {
      API_URL: 'http://api.test:8080',
      CALLBACK_SECRET: '',
      LOG_LEVEL: 'debug',
      DATA_DIR: '/var/gallery',
      QUEUE_DIR: '',
      VISIBILITY_TIMEOUT_SECONDS: '60',
      MAX_RECEIVE_COUNT: '3',
      POLL_INTERVAL_MS: '250',
    };

    // act
    const config = loadLocal(env);

    // assess
    expect(config).toEqual({
      apiUrl: 'http://api.test:8080',
      callbackSecret: undefined,
      logLevel: 'debug',
      dataDir: '/var/gallery',
      queueDir: '/var/gallery/queues/thumbnails',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 3,
      pollIntervalMs: 250,
    });
  });

  it('uses QUEUE_DIR when given', () => {
    expect(loadLocal({ DATA_DIR: '/srv/g', QUEUE_DIR: '/tmp/q' }).queueDir).toBe('/tmp/q');
  });

  it("queues in the processor's queue of the catalog", () => {
    expect(loadLocalWorkerConfig('tags', { DATA_DIR: '/srv/g' }).config.queueDir).toBe(
      '/srv/g/queues/tags',
    );
  });

  it('names the variable that is wrong', () => {
    // act
    const act = () => loadLocal({ MAX_RECEIVE_COUNT: 'many' });

    // assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/MAX_RECEIVE_COUNT/);
  });

  it('parses the variables a worker adds, refusing a wrong one by name', () => {
    // prepare
    const own = z.object({ LABELER: z.literal('local') });

    // act
    const { config, env } = loadLocalWorkerConfig('tags', { LABELER: 'local' }, own);

    // assess
    expect(env).toEqual({ LABELER: 'local' });
    expect(config.queueDir).toBe(path.resolve('.data/queues/tags'));
    expect(() => loadLocalWorkerConfig('tags', { LABELER: 'remote' }, own)).toThrow(/LABELER/);
  });

  it("names every wrong variable at once, the worker's own and the shared ones", () => {
    const own = z.object({ LABEL_MIN_CONFIDENCE: z.coerce.number().max(100) });

    const act = () =>
      loadLocalWorkerConfig('tags', { LABEL_MIN_CONFIDENCE: '140', POLL_INTERVAL_MS: '-1' }, own);

    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/POLL_INTERVAL_MS[\s\S]*LABEL_MIN_CONFIDENCE/);
  });

  it('gives no values of its own to a worker that declared none', () => {
    expect(loadLocalWorkerConfig('thumbnail', { LABELER: 'local' }).env).toEqual({});
  });
});

describe('Lambda worker configuration', () => {
  it('reads the bucket, the dead-letter queue and the callback secret', () => {
    // prepare
    const env = {
      API_URL: 'https://gallery.example.com',
      S3_BUCKET: 'gallery-images',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/thumbnails-dlq',
      CALLBACK_SECRET: 'a-secret-of-enough-length',
    };

    // act
    const config = loadLambda(env);

    // assess
    expect(config).toEqual({
      apiUrl: 'https://gallery.example.com',
      callbackSecret: { value: 'a-secret-of-enough-length' },
      logLevel: 'info',
      bucket: 'gallery-images',
      dlqUrl: env.DLQ_URL,
    });
  });

  it('refuses to start without them, naming each', () => {
    // act
    const error = (() => {
      try {
        loadLambda({});
      } catch (e) {
        return e as Error;
      }
    })();

    // assess
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['S3_BUCKET', 'DLQ_URL']) {
      expect(error?.message).toContain(`at ${name}`);
    }
  });

  it.each([
    ['neither', {}],
    [
      'both',
      { CALLBACK_SECRET: 'a-secret-of-enough-length', CALLBACK_SECRET_PARAMETER: '/gallery/x' },
    ],
  ])('wants exactly one source of the callback secret, not %s', (_, secrets) => {
    const env = {
      S3_BUCKET: 'b',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dlq',
      ...secrets,
    };

    expect(() => loadLambdaWorkerConfig(env)).toThrow(/exactly one of CALLBACK_SECRET_PARAMETER/);
  });

  it('names the SSM parameter that holds the secret, and an S3-compatible endpoint', () => {
    const env = {
      S3_BUCKET: 'b',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dlq',
      CALLBACK_SECRET_PARAMETER: '/gallery/thumbnail-callback-secret',
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
    };

    expect(loadLambdaWorkerConfig(env).config).toMatchObject({
      callbackSecret: { parameter: '/gallery/thumbnail-callback-secret' },
      s3Endpoint: 'http://127.0.0.1:4569',
      s3ForcePathStyle: true,
    });
  });

  it('talks to AWS S3 unless an S3-compatible endpoint is given, and refuses one that is no URL', () => {
    const env = {
      S3_BUCKET: 'gallery',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/thumbnails-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
    };

    expect(loadLambda(env)).toMatchObject({ s3Endpoint: undefined, s3ForcePathStyle: undefined });
    expect(() => loadLambda({ ...env, S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadLambda({ ...env, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
  });

  it('parses the variables a worker adds', () => {
    // prepare
    const own = z.object({ LABELER: z.literal('rekognition') });
    const env = {
      S3_BUCKET: 'b',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dlq',
      CALLBACK_SECRET: 'a-secret-of-enough-length',
      LABELER: 'rekognition',
    };

    // act
    const { config, env: values } = loadLambdaWorkerConfig(env, own);

    // assess
    expect(values).toEqual({ LABELER: 'rekognition' });
    expect(config.bucket).toBe('b');
  });
});
