import path from 'node:path';
import { ConfigError } from '@gallery/messaging';
import { loadLambdaConfig, loadLocalConfig } from './config';

describe('thumbnail worker configuration', () => {
  it('queues under DATA_DIR in `thumbnails` unless QUEUE_DIR says otherwise', () => {
    expect(loadLocalConfig({}).queueDir).toBe(path.resolve('.data/queues/thumbnails'));
    expect(loadLocalConfig({ DATA_DIR: '/var/gallery' }).queueDir).toBe(
      '/var/gallery/queues/thumbnails',
    );
    expect(loadLocalConfig({ QUEUE_DIR: '/tmp/q' }).queueDir).toBe('/tmp/q');
  });

  it('refuses to run in Lambda without its bucket, naming it', () => {
    expect(() => loadLambdaConfig({})).toThrow(ConfigError);
    expect(() => loadLambdaConfig({})).toThrow(/S3_BUCKET/);
  });

  it('talks to AWS S3 unless an S3-compatible endpoint is given', () => {
    const lambdaEnv = {
      S3_BUCKET: 'gallery',
      DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/thumbnails-dlq',
      CALLBACK_SECRET: 'a-secret-of-sixteen+',
    };

    const onAws = loadLambdaConfig(lambdaEnv);
    const elsewhere = loadLambdaConfig({
      ...lambdaEnv,
      S3_ENDPOINT: 'http://127.0.0.1:4569',
      S3_FORCE_PATH_STYLE: 'true',
    });

    expect(onAws).toMatchObject({ s3Endpoint: undefined, s3ForcePathStyle: undefined });
    expect(elsewhere).toMatchObject({
      s3Endpoint: 'http://127.0.0.1:4569',
      s3ForcePathStyle: true,
    });
    expect(() => loadLambdaConfig({ ...lambdaEnv, S3_ENDPOINT: 'not a url' })).toThrow(
      /S3_ENDPOINT/,
    );
  });
});
