import { verify } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../src/app';
import type { LoginLimits } from '../src/auth/login-limits';
import { openPostgresSchema, postgresServerForTests } from './support/postgres-schema';
import { ADMIN_PASSWORD, buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const WINDOW_MS = 60_000;
/** Long enough for the attempts a test makes inside it, short enough to wait out. */
const SHORT_WINDOW_MS = 1_500;

const serverUrl = postgresServerForTests();

const databases: Array<[string, () => Promise<TestDatabase>]> = [
  ['PGlite', () => openTestDatabase()],
  ['PostgreSQL', async () => openPostgresSchema(await serverUrl())],
];

const limits = (overrides: Partial<LoginLimits>): LoginLimits => ({
  perIp: 100,
  failuresPerUser: 100,
  windowMs: WINDOW_MS,
  ...overrides,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const login = (
  app: FastifyInstance,
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

describe.each(databases)('login limits on %s, shared by two instances', (_kind, open) => {
  let database: TestDatabase;
  let built: TestApp[] = [];

  beforeAll(async () => {
    database = await open();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('login_attempts').execute();
  });
  afterEach(async () => {
    await Promise.all(built.map((test) => test.app.close()));
    built = [];
  });
  afterAll(async () => {
    await database.close();
  });

  type Options = { trustProxy?: boolean };

  async function instance(overrides: Partial<AppDeps>, options: Options = {}) {
    const test = await buildTestApp(database, overrides, options);
    built.push(test);
    return test.app;
  }

  /** Two instances of the app on the one database, as behind a load balancer. */
  const twoInstances = async (
    overrides: Partial<AppDeps>,
    options: Options = {},
  ): Promise<[FastifyInstance, FastifyInstance]> => [
    await instance(overrides, options),
    await instance(overrides, options),
  ];

  /** The instance the `index`th request goes to, alternating. */
  const alternate = (instances: FastifyInstance[], index: number) =>
    instances[index % instances.length] as FastifyInstance;

  describe('per address', () => {
    it('refuses attempts over the limit, whichever instance counted them, with 429, a message and Retry-After', async () => {
      // prepare: three attempts, successful or not, spread over both instances
      const [a, b] = await twoInstances({ loginLimits: limits({ perIp: 3 }) });
      expect((await login(a, 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
      expect((await login(b, 'someone', 'wrong password')).statusCode).toBe(401);
      expect((await login(a, 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
      // act
      const response = await login(b, 'admin', ADMIN_PASSWORD);
      // assess
      expect(response.statusCode).toBe(429);
      expect(response.json()).toEqual({ message: expect.any(String) });
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
      expect(response.cookies).toHaveLength(0);
    });

    it('lets no more concurrent attempts through than the limit', async () => {
      const instances = await twoInstances({ loginLimits: limits({ perIp: 3 }) });

      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login(alternate(instances, i), 'nobody', 'x')),
      );

      const refused = responses.filter((response) => response.statusCode === 429);
      expect(responses.length - refused.length).toBe(3);
    });

    it('refuses an address over the limit before reading the body', async () => {
      const [a, b] = await twoInstances({ loginLimits: limits({ perIp: 1 }) });
      await login(a, 'admin', ADMIN_PASSWORD);

      const response = await b.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "admin", "password"',
      });

      expect(response.statusCode).toBe(429);
    });

    it('counts each client address apart when a trusted proxy names it', async () => {
      const [a, b] = await twoInstances(
        { loginLimits: limits({ perIp: 1 }) },
        { trustProxy: true },
      );
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      await login(a, 'admin', ADMIN_PASSWORD, from('203.0.113.1'));

      const again = await login(b, 'admin', ADMIN_PASSWORD, from('203.0.113.1'));
      const other = await login(b, 'admin', ADMIN_PASSWORD, from('203.0.113.2'));

      expect(again.statusCode).toBe(429);
      expect(other.statusCode).toBe(200);
    });

    it('leaves the other routes unlimited', async () => {
      const [a, b] = await twoInstances({ loginLimits: limits({ perIp: 1 }) });

      const responses = await Promise.all(
        [a, b, a].map((app) => app.inject({ url: '/api/auth/me' })),
      );

      expect(responses.map((response) => response.statusCode)).toEqual([401, 401, 401]);
    });

    it('lets the address try again once its window has ended', async () => {
      const [a, b] = await twoInstances({
        loginLimits: limits({ perIp: 1, windowMs: SHORT_WINDOW_MS }),
      });
      await login(a, 'admin', ADMIN_PASSWORD);
      const refused = await login(b, 'admin', ADMIN_PASSWORD);

      await sleep(SHORT_WINDOW_MS);
      const later = await login(b, 'admin', ADMIN_PASSWORD);

      expect(refused.statusCode).toBe(429);
      expect(later.statusCode).toBe(200);
    });
  });

  describe('per user name', () => {
    it('refuses even the right password once the user failed too often on either instance', async () => {
      const [a, b] = await twoInstances({ loginLimits: limits({ failuresPerUser: 2 }) });
      await login(a, 'admin', 'wrong password');
      await login(b, 'admin', 'wrong again');

      const response = await login(a, 'admin', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(429);
      expect(response.json()).toEqual({ message: expect.any(String) });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.cookies).toHaveLength(0);
    });

    it('does not count successful logins against the user', async () => {
      const [a, b] = await twoInstances({ loginLimits: limits({ failuresPerUser: 2 }) });
      await login(a, 'admin', ADMIN_PASSWORD);
      await login(b, 'admin', ADMIN_PASSWORD);
      await login(a, 'admin', 'wrong password');

      const response = await login(b, 'admin', ADMIN_PASSWORD);

      expect(response.statusCode).toBe(200);
    });

    it('locks only the user name that failed', async () => {
      const [a, b] = await twoInstances({ loginLimits: limits({ failuresPerUser: 1 }) });
      await login(a, 'nobody', 'wrong password');

      const locked = await login(b, 'nobody', 'wrong password');
      const admin = await login(b, 'admin', ADMIN_PASSWORD);

      expect(locked.statusCode).toBe(429);
      expect(admin.statusCode).toBe(200);
    });

    it('lets the user try again once the window has ended', async () => {
      const [a, b] = await twoInstances({
        loginLimits: limits({ failuresPerUser: 1, windowMs: SHORT_WINDOW_MS }),
      });
      await login(a, 'admin', 'wrong password');
      const refused = await login(b, 'admin', ADMIN_PASSWORD);

      await sleep(SHORT_WINDOW_MS);
      const later = await login(b, 'admin', ADMIN_PASSWORD);

      expect(refused.statusCode).toBe(429);
      expect(later.statusCode).toBe(200);
    });

    it('lets no more concurrent failures through than the limit', async () => {
      // prepare: more wrong passwords at once than allowed, on both instances
      const instances = await twoInstances({ loginLimits: limits({ failuresPerUser: 3 }) });
      // act
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          login(alternate(instances, i), 'admin', `wrong password ${i}`),
        ),
      );
      const afterwards = await login(alternate(instances, 0), 'admin', ADMIN_PASSWORD);
      // assess
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 401)).toHaveLength(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(7);
      expect(afterwards.statusCode).toBe(429);
    });
  });

  describe('unknown users', () => {
    async function countingApp() {
      const calls: string[] = [];
      const app = await instance({
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
