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
});
