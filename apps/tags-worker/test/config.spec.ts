import path from 'node:path';
import {
  ConfigError,
  loadLambdaWorkerConfig,
  loadLocalWorkerConfig,
} from '@gallery/worker-runtime';
import { LAMBDA_LABELER_ENV, LOCAL_LABELER_ENV } from '../src/labeler';

// The tags worker's configuration: what every worker reads, and its labeler's variables.
const loadLocal = (env: Record<string, string>) =>
  loadLocalWorkerConfig('tags', env, LOCAL_LABELER_ENV);
const loadLambda = (env: Record<string, string>) => loadLambdaWorkerConfig(env, LAMBDA_LABELER_ENV);

describe('configuration', () => {
  it('runs locally with no variables at all, everything under .data', () => {
    const loaded = loadLocal({});

    expect(loaded).toEqual({
      config: {
        apiUrl: 'http://127.0.0.1:3000',
        callbackSecret: undefined,
        logLevel: 'info',
        dataDir: path.resolve('.data'),
        queueDir: path.resolve('.data', 'queues', 'tags'),
        visibilityTimeoutSeconds: 30,
        maxReceiveCount: 5,
        pollIntervalMs: 100,
      },
      env: { LABELER: 'local', LABEL_MIN_CONFIDENCE: 40 },
    });
  });

  it('puts the queue under DATA_DIR unless QUEUE_DIR says otherwise, and treats empty as unset', () => {
    expect(loadLocal({ DATA_DIR: '/srv/g', QUEUE_DIR: '' }).config.queueDir).toBe(
      '/srv/g/queues/tags',
    );
    expect(loadLocal({ DATA_DIR: '/srv/g', QUEUE_DIR: '/q' }).config.queueDir).toBe('/q');
  });

  it('reads the local threshold in percent and refuses one outside 0–100', () => {
    expect(loadLocal({ LABEL_MIN_CONFIDENCE: '55.5' }).env.LABEL_MIN_CONFIDENCE).toBe(55.5);
    expect(() => loadLocal({ LABEL_MIN_CONFIDENCE: '140' })).toThrow(ConfigError);
  });

  it('refuses a labeler the local runner does not have', () => {
    expect(() => loadLocal({ LABELER: 'rekognition' })).toThrow(/LABELER/);
  });

  it('reads a complete Lambda environment', () => {
    const loaded = loadLambda({
      S3_BUCKET: 'gallery-images',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
      API_URL: 'https://gallery.example.com',
    });

    expect(loaded).toEqual({
      config: {
        apiUrl: 'https://gallery.example.com',
        callbackSecret: { value: 'a-secret-of-sixteen+' },
        logLevel: 'info',
        bucket: 'gallery-images',
        dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      },
      env: { LABELER: 'rekognition' },
    });
  });

  it('talks to AWS unless an S3-compatible or another Rekognition endpoint is given', () => {
    const lambdaEnv = {
      S3_BUCKET: 'gallery',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
    };

    const onAws = loadLambda(lambdaEnv);
    const elsewhere = loadLambda({
      ...lambdaEnv,
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
      REKOGNITION_ENDPOINT: 'http://127.0.0.1:4570',
    });

    expect(onAws.config).toMatchObject({ s3Endpoint: undefined, s3ForcePathStyle: undefined });
    expect(onAws.env.REKOGNITION_ENDPOINT).toBeUndefined();
    expect(elsewhere).toMatchObject({
      config: { s3Endpoint: 'http://127.0.0.1:4569', s3ForcePathStyle: true },
      env: { REKOGNITION_ENDPOINT: 'http://127.0.0.1:4570' },
    });
    expect(() => loadLambda({ ...lambdaEnv, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
    expect(() => loadLambda({ ...lambdaEnv, REKOGNITION_ENDPOINT: 'nowhere' })).toThrow(
      /REKOGNITION_ENDPOINT/,
    );
  });
});
