import type { FastifyInstance } from 'fastify';
import { ensureAdminUser } from '../src/auth/admin-user';
import { ADMIN_PASSWORD, buildTestApp, logInAsAdmin } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('authentication', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    ({ app } = await buildTestApp(database));
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('logs in with the right password and sets a strict, HttpOnly session cookie', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: expect.any(String), username: 'admin', role: 'admin' });
    const cookie = response.cookies.find((c) => c.name === 'gallery_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over https', async () => {
    const proxied = await buildTestApp(database, {}, { trustProxy: true });

    const response = await proxied.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });

    expect(response.cookies.find((c) => c.name === 'gallery_session')?.secure).toBe(true);
    await proxied.app.close();
  });

  it('ignores X-Forwarded-Proto unless told to trust a proxy', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });

    expect(response.cookies.find((c) => c.name === 'gallery_session')?.secure).toBeFalsy();
  });

  it('stores only a digest of the session token', async () => {
    const cookie = await logInAsAdmin(app);
    const token = cookie.split('=')[1];

    const rows = await database.db.selectFrom('sessions').select('token_hash').execute();

    expect(rows.map((row) => row.token_hash)).not.toContain(token);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'wrong password' },
    });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ message: expect.any(String) });
    expect(response.cookies).toHaveLength(0);
  });

  it('refuses an unknown user the same way', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: ADMIN_PASSWORD },
    });

    expect(response.statusCode).toBe(401);
  });

  it('answers 400 with a message for a login without a password', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/password/);
  });

  it('tells the logged-in user who they are', async () => {
    const cookie = await logInAsAdmin(app);

    const response = await app.inject({ url: '/api/auth/me', headers: { cookie } });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: expect.any(String), username: 'admin', role: 'admin' });
  });

  it('answers 401 to me without a session, or with an unknown one', async () => {
    const none = await app.inject({ url: '/api/auth/me' });
    const forged = await app.inject({
      url: '/api/auth/me',
      headers: { cookie: 'gallery_session=forged' },
    });

    expect(none.statusCode).toBe(401);
    expect(forged.statusCode).toBe(401);
  });

  it('ends the session on logout, server-side, and clears the cookie', async () => {
    const cookie = await logInAsAdmin(app);

    const logout = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie },
    });
    const after = await app.inject({ url: '/api/auth/me', headers: { cookie } });

    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'gallery_session')?.value).toBe('');
    expect(after.statusCode).toBe(401);
  });

  it('does not accept an expired session', async () => {
    const cookie = await logInAsAdmin(app);
    await database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();

    const response = await app.inject({ url: '/api/auth/me', headers: { cookie } });

    expect(response.statusCode).toBe(401);
  });

  it('hashes passwords with argon2id', async () => {
    const user = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();

    expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('creates the admin once, and generates a password only when none is given', async () => {
    const again = await ensureAdminUser(database.db, undefined);
    await database.db.deleteFrom('users').execute();
    const generated = await ensureAdminUser(database.db, undefined);
    const loginResponse =
      generated.created && generated.generatedPassword
        ? await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'admin', password: generated.generatedPassword },
          })
        : undefined;

    expect(again).toEqual({ created: false });
    expect(generated).toEqual({ created: true, generatedPassword: expect.any(String) });
    expect(loginResponse?.statusCode).toBe(200);
  });
});
