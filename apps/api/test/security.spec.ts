import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const SOME_ID = '3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d';

describe('security', () => {
  let database: TestDatabase;
  let test: TestApp;
  let webDir: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    webDir = await mkdtemp(join(tmpdir(), 'gallery-web-'));
    await mkdir(join(webDir, 'assets'));
    await writeFile(join(webDir, 'index.html'), '<!doctype html><title>Gallery</title>');
    await writeFile(join(webDir, 'assets', 'app.js'), 'console.log(1)');
    test = await buildTestApp(database, { webDir });
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
    await rm(webDir, { recursive: true, force: true });
  });

  describe('sessions', () => {
    it.each([
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/logout'],
      ['GET', '/api/images'],
      ['POST', '/api/images'],
      ['GET', `/api/images/${SOME_ID}`],
      ['PATCH', `/api/images/${SOME_ID}`],
      ['DELETE', `/api/images/${SOME_ID}`],
      ['GET', `/api/images/${SOME_ID}/original`],
      ['GET', `/api/images/${SOME_ID}/thumbnails/256.webp`],
      ['GET', '/api/events'],
    ] as const)('answers 401 to %s %s without a session', async (method, url) => {
      const response = await test.app.inject({ method, url });

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ message: 'not logged in' });
    });
  });

  describe('cross-site requests', () => {
    const logout = (headers: Record<string, string>) =>
      test.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { host: 'gallery.example', ...headers },
      });

    it('refuses a state change from another origin with 403', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await logout({ cookie, origin: 'https://evil.example' });

      expect(response.statusCode).toBe(403);
      expect((await test.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(
        200,
      );
    });

    it('refuses a state change a browser marks as cross-site with 403', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await logout({ cookie, 'sec-fetch-site': 'cross-site' });

      expect(response.statusCode).toBe(403);
    });

    it('refuses a login from another origin', async () => {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: { username: 'admin', password: 'x' },
      });

      expect(response.statusCode).toBe(403);
    });

    it('lets a same-origin request through', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await logout({
        cookie,
        origin: 'http://gallery.example',
        'sec-fetch-site': 'same-origin',
      });

      expect(response.statusCode).toBe(204);
    });

    it('takes the scheme a trusted proxy reports into account', async () => {
      const proxied = await buildTestApp(database, {}, { trustProxy: true });
      const cookie = await logInAsAdmin(proxied.app);

      const response = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: {
          host: 'gallery.example',
          cookie,
          origin: 'https://gallery.example',
          'x-forwarded-proto': 'https',
        },
      });

      expect(response.statusCode).toBe(204);
      await proxied.app.close();
    });

    it('lets a request without Origin or Sec-Fetch-Site through (not a browser)', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await logout({ cookie });

      expect(response.statusCode).toBe(204);
    });

    it('lets a cross-site GET through: reads change nothing', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await test.app.inject({
        url: '/api/auth/me',
        headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });

      expect(response.statusCode).toBe(200);
    });
  });

  describe('responses', () => {
    it.each(['/api/auth/me', '/api/nothing-here', '/', '/assets/app.js'])(
      'sends X-Content-Type-Options: nosniff on %s',
      async (url) => {
        const response = await test.app.inject({ url });

        expect(response.headers['x-content-type-options']).toBe('nosniff');
      },
    );

    const STRICT_POLICY =
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data: blob:;" +
      "connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';" +
      "form-action 'self'";

    it('sends the strict Content-Security-Policy and the usual security headers with the web app', async () => {
      const response = await test.app.inject({ url: '/' });

      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'content-security-policy': STRICT_POLICY,
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
        'x-content-type-options': 'nosniff',
      });
      expect(response.headers['cross-origin-embedder-policy']).toBeUndefined();
    });

    it('sends the security headers with a JSON response of the API, which still reads as JSON', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await test.app.inject({ url: '/api/auth/me', headers: { cookie } });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id: expect.any(String), username: 'admin', role: 'admin' });
      expect(response.headers).toMatchObject({
        'content-type': expect.stringMatching(/^application\/json/),
        'content-security-policy': STRICT_POLICY,
        'x-content-type-options': 'nosniff',
        'x-request-id': expect.any(String),
      });
    });

    it('serves an original sandboxed, as a named download-safe document, with the other headers', async () => {
      const cookie = await logInAsAdmin(test.app);
      const id = await seedImage(database);
      test.store.objects.set(originalKey(id), {
        data: Buffer.from('<script>alert(1)</script>'),
        contentType: 'image/jpeg',
      });

      const response = await test.app.inject({
        url: `/api/images/${id}/original`,
        headers: { cookie },
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'content-security-policy': 'sandbox',
        'content-disposition': `inline; filename="${id}"`,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
      });
    });

    it('refuses a JSON body over 1 MB with 413', async () => {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'x'.repeat(1024 * 1024) },
      });

      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ message: expect.any(String) });
    });

    it('answers malformed JSON with 400 and a message', async () => {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":',
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: expect.any(String) });
    });

    it('hides the details of a server error', async () => {
      const store = createMemoryObjectStore();
      const failing = await buildTestApp(database, {
        store: {
          ...store,
          get: async () => {
            throw new Error('secret detail: postgres://user:password@host/db');
          },
        },
      });
      const id = await seedImage(database);
      const cookie = await logInAsAdmin(failing.app);

      const response = await failing.app.inject({
        url: `/api/images/${id}/original`,
        headers: { cookie },
      });
      await failing.app.close();

      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ message: 'internal server error' });
    });
  });

  describe('the web app', () => {
    it('serves its files', async () => {
      const response = await test.app.inject({ url: '/assets/app.js' });

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('console.log(1)');
    });

    it('answers index.html for the app routes, so that a reload works', async () => {
      const response = await test.app.inject({ url: '/images/some-image' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<title>Gallery</title>');
    });

    it('answers 404 JSON for an unknown API path', async () => {
      const cookie = await logInAsAdmin(test.app);

      const response = await test.app.inject({ url: '/api/nothing-here', headers: { cookie } });

      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ message: 'not found' });
    });

    it.each([
      ['PUT', '/api/images', 'GET, HEAD, POST'],
      ['POST', `/api/images/${SOME_ID}`, 'DELETE, GET, HEAD, PATCH'],
      ['GET', `/internal/images/${SOME_ID}/tags`, 'PUT'],
    ] as const)(
      'answers %s %s, a known path with another method, with 405 and the methods allowed',
      async (method, url, allow) => {
        const cookie = await logInAsAdmin(test.app);

        const response = await test.app.inject({ method, url, headers: { cookie } });

        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe(allow);
        expect(response.json()).toEqual({ message: 'method not allowed' });
      },
    );

    it('runs without a web app when its directory is missing', async () => {
      const apiOnly = await buildTestApp(database, { webDir: join(webDir, 'missing') });

      const page = await apiOnly.app.inject({ url: '/' });
      const api = await apiOnly.app.inject({ url: '/api/auth/me' });
      await apiOnly.app.close();

      expect(page.statusCode).toBe(404);
      expect(api.statusCode).toBe(401);
    });
  });
});
