import { join } from 'node:path';
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
      THUMBNAIL_CALLBACK_SECRETS: undefined,
      TAGS_CALLBACK_SECRETS: undefined,
      S3_BUCKET: undefined,
      SNS_TOPIC_ARN: undefined,
      QUEUES: ['thumbnails', 'tags'],
      SESSION_TTL_HOURS: 168,
      ORPHAN_SWEEP_INTERVAL_MINUTES: 60,
      ORPHAN_SWEEP_GRACE_MINUTES: 60,
      LOGIN_RATE_LIMIT_PER_IP: 10,
      LOGIN_FAILURES_PER_USER: 5,
      LOGIN_RATE_LIMIT_WINDOW_MINUTES: 15,
      WEB_DIR: join(__dirname, '../web'),
      TRUST_PROXY: false,
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
    expect(config.THUMBNAIL_CALLBACK_SECRETS).toEqual([
      'current-secret-0123456789',
      'previous-secret-0123456789',
    ]);
    expect(config.TAGS_CALLBACK_SECRETS).toBeUndefined();
    expect(config.S3_BUCKET).toBeUndefined();
    expect(config.QUEUES).toEqual(['thumbnails']);
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
