import path from 'node:path';
import { ConfigError } from '@gallery/messaging';
import { loadLambdaConfig, loadLocalConfig } from '../src/config';

describe('configuration', () => {
  it('runs locally with no variables at all, everything under .data', () => {
    const config = loadLocalConfig({});

    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      callbackSecret: undefined,
      logLevel: 'info',
      dataDir: path.resolve('.data'),
      queueDir: path.resolve('.data', 'queues', 'tags'),
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      pollIntervalMs: 100,
      labeler: 'local',
      labelMinConfidence: 40,
    });
  });

  it('puts the queue under DATA_DIR unless QUEUE_DIR says otherwise, and treats empty as unset', () => {
    expect(loadLocalConfig({ DATA_DIR: '/srv/g', QUEUE_DIR: '' }).queueDir).toBe(
      '/srv/g/queues/tags',
    );
    expect(loadLocalConfig({ DATA_DIR: '/srv/g', QUEUE_DIR: '/q' }).queueDir).toBe('/q');
  });

  it('reads the local threshold in percent and refuses one outside 0–100', () => {
    expect(loadLocalConfig({ LABEL_MIN_CONFIDENCE: '55.5' }).labelMinConfidence).toBe(55.5);
    expect(() => loadLocalConfig({ LABEL_MIN_CONFIDENCE: '140' })).toThrow(ConfigError);
  });

  it('refuses a labeler the local runner does not have', () => {
    expect(() => loadLocalConfig({ LABELER: 'rekognition' })).toThrow(/LABELER/);
  });

  it('reads a complete Lambda environment', () => {
    const config = loadLambdaConfig({
      S3_BUCKET: 'gallery-images',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
      API_URL: 'https://gallery.example.com',
    });

    expect(config).toEqual({
      apiUrl: 'https://gallery.example.com',
      callbackSecret: { value: 'a-secret-of-sixteen+' },
      logLevel: 'info',
      bucket: 'gallery-images',
      dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      labeler: 'rekognition',
    });
  });

  it('talks to AWS unless an S3-compatible or another Rekognition endpoint is given', () => {
    const lambdaEnv = {
      S3_BUCKET: 'gallery',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
    };

    const onAws = loadLambdaConfig(lambdaEnv);
    const elsewhere = loadLambdaConfig({
      ...lambdaEnv,
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
      REKOGNITION_ENDPOINT: 'http://127.0.0.1:4570',
    });

    expect(onAws).toMatchObject({
      s3Endpoint: undefined,
      s3ForcePathStyle: undefined,
      rekognitionEndpoint: undefined,
    });
    expect(elsewhere).toMatchObject({
      s3Endpoint: 'http://127.0.0.1:4569',
      s3ForcePathStyle: true,
      rekognitionEndpoint: 'http://127.0.0.1:4570',
    });
    expect(() => loadLambdaConfig({ ...lambdaEnv, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
  });
});
