import { signRequest } from '@gallery/api-client';
import { sendCallback, thumbnailsDone } from './support/callbacks';
import { createRecordingLogger } from './support/recording-logger';
import { seedImage } from './support/seed';
import { ADMIN_PASSWORD, buildTestApp, logInAsAdmin, SECRETS } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the logs', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('hold no password, session token, callback secret or signature', async () => {
    const { logger, lines } = createRecordingLogger('trace');
    const { app } = await buildTestApp(database, {}, { logger });
    const id = await seedImage(database);
    const cookie = await logInAsAdmin(app);
    const token = cookie.split('=')[1];
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie } });
    const body = JSON.stringify(thumbnailsDone(id));
    const signature = await signRequest(SECRETS.thumbnail[0], body);
    const callback = await app.inject({
      method: 'PUT',
      url: `/internal/images/${id}/thumbnails`,
      headers: { 'content-type': 'application/json', ...signature },
      payload: body,
    });
    const forged = await sendCallback(app, id, 'tags', thumbnailsDone(id), {
      secret: 'not-the-secret-0123456789',
    });
    await app.close();

    const log = lines.map((line) => JSON.stringify(line)).join('\n');
    expect([me.statusCode, callback.statusCode, forged.statusCode]).toEqual([200, 204, 401]);
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [
      ADMIN_PASSWORD,
      token,
      ...SECRETS.thumbnail,
      ...SECRETS.tags,
      signature['gallery-signature'],
      signature['gallery-signature'].replace(/^v1=/, ''),
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it('redact the cookie, authorization, signature and password wherever a request is logged', () => {
    const { logger, lines } = createRecordingLogger();

    logger.info(
      {
        req: {
          headers: {
            cookie: 'gallery_session=token-value',
            authorization: 'Bearer bearer-value',
            'gallery-signature': 'v1=signature-value',
          },
          body: { username: 'admin', password: 'password-value' },
        },
        res: { headers: { 'set-cookie': 'gallery_session=new-token-value' } },
      },
      'request',
    );

    const log = JSON.stringify(lines);
    for (const secret of ['token-value', 'bearer-value', 'signature-value', 'password-value']) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain('admin');
  });
});
