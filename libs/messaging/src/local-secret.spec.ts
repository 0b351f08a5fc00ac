import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../test/support';
import { loadOrCreateLocalSecret } from './local-secret';

describe('loadOrCreateLocalSecret', () => {
  const tempDir = useTempDir();

  it('creates a random secret once, readable by its owner only, and returns it ever after', () => {
    // act
    const first = loadOrCreateLocalSecret(tempDir(), 'thumbnail');
    const second = loadOrCreateLocalSecret(tempDir(), 'thumbnail');
    // assess
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).toBe(first);
    const path = join(tempDir(), 'secrets', 'thumbnail.secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('gives each processor its own secret', () => {
    const thumbnail = loadOrCreateLocalSecret(tempDir(), 'thumbnail');
    const tags = loadOrCreateLocalSecret(tempDir(), 'tags');
    expect(tags).not.toBe(thumbnail);
  });

  it('returns the secret another process wrote first', () => {
    mkdirSync(join(tempDir(), 'secrets'));
    writeFileSync(join(tempDir(), 'secrets', 'tags.secret'), 'written-by-the-api\n');
    expect(loadOrCreateLocalSecret(tempDir(), 'tags')).toBe('written-by-the-api');
  });

  it('refuses a processor name that could leave the secrets directory', () => {
    expect(() => loadOrCreateLocalSecret(tempDir(), '../api')).toThrow('invalid processor name');
  });
});
