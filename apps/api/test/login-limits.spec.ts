import { verify } from '@node-rs/argon2';
import type { AppDeps } from '../src/app';
import { ADMIN_PASSWORD, buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const WINDOW_MS = 60_000;

describe('login limits', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((test) => test.app.close()));
    await database.close();
  });

  async function appWith(overrides: Partial<AppDeps>, options = {}) {
    const test = await buildTestApp(database, overrides, options);
    apps.push(test);
    return test.app;
  }

  const login = (
    app: TestApp['app'],
    username: string,
    password: string,
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers,
      payload: { username, password },
    });

  describe('per address', () => {
    it('refuses attempts over the limit with 429, a message and Retry-After', async () => {
      const app = await appWith({
        loginLimits: { perIp: 2, failuresPerUser: 100, windowMs: WINDOW_MS },
      });
      await login(app, 'admin', ADMIN_PASSWORD);
      await login(app, 'someone', 'wrong password');

      const response = await login(app, 'admin', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(429);
      expect(response.json()).toEqual({ message: expect.any(String) });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.cookies).toHaveLength(0);
    });

    it('counts each client address apart when a trusted proxy names it', async () => {
      const app = await appWith(
        { loginLimits: { perIp: 1, failuresPerUser: 100, windowMs: WINDOW_MS } },
        { trustProxy: true },
      );
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      await login(app, 'admin', ADMIN_PASSWORD, from('203.0.113.1'));

      const again = await login(app, 'admin', ADMIN_PASSWORD, from('203.0.113.1'));
      const other = await login(app, 'admin', ADMIN_PASSWORD, from('203.0.113.2'));

      expect(again.statusCode).toBe(429);
      expect(other.statusCode).toBe(200);
    });

    it('leaves the other routes unlimited', async () => {
      const app = await appWith({
        loginLimits: { perIp: 1, failuresPerUser: 100, windowMs: WINDOW_MS },
      });

      const responses = await Promise.all([1, 2, 3].map(() => app.inject({ url: '/api/auth/me' })));

      expect(responses.map((response) => response.statusCode)).toEqual([401, 401, 401]);
    });
  });

  describe('per user name', () => {
    it('refuses even the right password once a user had too many failures', async () => {
      const app = await appWith({
        loginLimits: { perIp: 100, failuresPerUser: 2, windowMs: WINDOW_MS },
      });
      await login(app, 'admin', 'wrong password');
      await login(app, 'admin', 'wrong again');

      const response = await login(app, 'admin', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(429);
      expect(response.json()).toEqual({ message: expect.any(String) });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('does not count successful logins against the user', async () => {
      const app = await appWith({
        loginLimits: { perIp: 100, failuresPerUser: 2, windowMs: WINDOW_MS },
      });
      await login(app, 'admin', ADMIN_PASSWORD);
      await login(app, 'admin', ADMIN_PASSWORD);
      await login(app, 'admin', 'wrong password');

      const response = await login(app, 'admin', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(200);
    });

    it('locks only the user name that failed', async () => {
      const app = await appWith({
        loginLimits: { perIp: 100, failuresPerUser: 1, windowMs: WINDOW_MS },
      });
      await login(app, 'nobody', 'wrong password');

      const locked = await login(app, 'nobody', 'wrong password');
      const admin = await login(app, 'admin', ADMIN_PASSWORD);

      expect(locked.statusCode).toBe(429);
      expect(admin.statusCode).toBe(200);
    });
  });

  describe('unknown users', () => {
    async function countingApp() {
      const calls: string[] = [];
      const app = await appWith({
        verifyPassword: async (hash, password) => {
          calls.push(hash);
          return verify(hash, password);
        },
      });
      return { app, calls };
    }

    it('verifies a password against a decoy hash when the user does not exist', async () => {
      const { app, calls } = await countingApp();
      const admin = await database.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'admin')
        .executeTakeFirstOrThrow();

      const response = await login(app, 'nobody', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(401);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(/^\$argon2id\$/);
      expect(calls[0]).not.toBe(admin.password_hash);
    });

    it('verifies a password once for a known user too', async () => {
      const { app, calls } = await countingApp();

      const response = await login(app, 'admin', 'wrong password');

      expect(response.statusCode).toBe(401);
      expect(calls).toHaveLength(1);
    });

    it('uses the same decoy hash for every unknown user, made once at start', async () => {
      const { app, calls } = await countingApp();

      await login(app, 'nobody', 'x');
      await login(app, 'no one else', 'y');

      expect(calls).toHaveLength(2);
      expect(calls[0]).toBe(calls[1]);
    });
  });
});
