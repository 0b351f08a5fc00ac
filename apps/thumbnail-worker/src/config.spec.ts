import path from 'node:path';
import { ConfigError } from './errors';
import { loadLambdaConfig, loadLocalConfig } from './config';

describe('loadLocalConfig', () => {
  it('runs with no environment at all, everything under .data', () => {
    // act
    const config = loadLocalConfig({});

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
      VISIBILITY_TIMEOUT_SECONDS: '60',
      MAX_RECEIVE_COUNT: '3',
      POLL_INTERVAL_MS: '250',
    };

    // act
    const config = loadLocalConfig(env);

    // assess
    expect(config).toMatchObject({
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
    expect(loadLocalConfig({ QUEUE_DIR: '/tmp/q' }).queueDir).toBe('/tmp/q');
  });

  it('names the variable that is wrong', () => {
    // act
    const act = () => loadLocalConfig({ MAX_RECEIVE_COUNT: 'many' });

    // assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/MAX_RECEIVE_COUNT/);
  });
});

describe('loadLambdaConfig', () => {
  it('reads the bucket, the dead-letter queue and the callback secret', () => {
    // prepare
    const env = {
      API_URL: 'https://gallery.example.com',
      S3_BUCKET: 'gallery-images',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/thumbnails-dlq',
      CALLBACK_SECRET: 'a-secret-of-enough-length',
    };

    // act
    const config = loadLambdaConfig(env);

    // assess
    expect(config).toEqual({
      apiUrl: 'https://gallery.example.com',
      callbackSecret: 'a-secret-of-enough-length',
      logLevel: 'info',
      bucket: 'gallery-images',
      dlqUrl: env.DLQ_URL,
    });
  });

  it('refuses to start without them, naming each', () => {
    // act
    const error = (() => {
      try {
        loadLambdaConfig({});
      } catch (e) {
        return e as Error;
      }
    })();

    // assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/S3_BUCKET/);
    expect(error?.message).toMatch(/DLQ_URL/);
    expect(error?.message).toMatch(/CALLBACK_SECRET/);
  });
});
