import { createFileQueue } from '@gallery/messaging';
import { imageUploadedV1 } from '@gallery/message-schema';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import galleryApp, { serverOptions } from '../src/app';
import { ensureAdminUser } from '../src/auth/admin-user';
import { appDeps, composeAdapters, type Adapters } from '../src/compose';
import { loadConfig } from '../src/config';
import { followChanges, type FollowedChanges } from '../src/feed/follow-changes';
import { publishPendingEvents } from '../src/outbox/relay';
import { makeJpeg, uploadForm } from './support/images';
import { ADMIN_PASSWORD, logInAsAdmin } from './support/test-app';

describe('the API on its embedded adapters', () => {
  let dataDir: string;
  let adapters: Adapters;
  let app: FastifyInstance;
  let changes: FollowedChanges;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gallery-data-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: join(dataDir, 'no-web'),
      MAX_UPLOAD_BYTES: String(64 * 1024),
    });
    adapters = await composeAdapters(config);
    await ensureAdminUser(adapters.database.db, ADMIN_PASSWORD);
    app = Fastify(serverOptions(pino({ level: 'silent' })));
    changes = await followChanges(adapters.database, pino({ level: 'silent' }));
    await app.register(
      galleryApp,
      appDeps(config, adapters, () => undefined, changes),
    );
  });
  afterAll(async () => {
    await app.close();
    await changes.stop();
    await adapters.database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the database, objects and callback secrets under DATA_DIR', async () => {
    const thumbnailSecret = await readFile(join(dataDir, 'secrets', 'thumbnail.secret'), 'utf8');

    expect(adapters.database.kind).toBe('pglite');
    expect(existsSync(join(dataDir, 'db', 'PG_VERSION'))).toBe(true);
    expect(adapters.callbackSecrets.thumbnail).toEqual([thumbnailSecret.trim()]);
    expect(adapters.callbackSecrets.tags).not.toEqual(adapters.callbackSecrets.thumbnail);
  });

  it('stores an upload on disk and delivers its event to every local queue', async () => {
    const cookie = await logInAsAdmin(app);
    const jpeg = await makeJpeg();

    const upload = await app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: uploadForm([
        ['name', 'on disk'],
        ['file', jpeg, 'a.jpg'],
      ]),
    });
    const round = await publishPendingEvents({
      db: adapters.database.db,
      publisher: adapters.publisher,
    });
    const [thumbnails] = await createFileQueue({
      dir: join(dataDir, 'queues', 'thumbnails'),
    }).receive();
    const [tags] = await createFileQueue({ dir: join(dataDir, 'queues', 'tags') }).receive();

    expect(upload.statusCode).toBe(201);
    const { id } = upload.json();
    expect((await readFile(join(dataDir, 'objects', 'originals', id))).equals(jpeg)).toBe(true);
    expect(round.published).toBe(1);
    const event = imageUploadedV1.parse(JSON.parse(thumbnails.body));
    expect(event).toMatchObject({ imageId: id, bucket: 'local', key: `originals/${id}` });
    expect(tags.body).toBe(thumbnails.body);
  });

  const files = async (dir: string) =>
    existsSync(join(dataDir, 'objects', dir)) ? readdir(join(dataDir, 'objects', dir)) : [];

  it('refuses a non-image without leaving a file behind', async () => {
    const cookie = await logInAsAdmin(app);
    const before = await files('originals');

    const upload = await app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: uploadForm([
        ['name', 'nope'],
        ['file', Buffer.from('plain text, not an image'), 'a.jpg'],
      ]),
    });

    expect(upload.statusCode).toBe(415);
    expect(await files('originals')).toEqual(before);
    expect(await files('.tmp')).toEqual([]);
  });

  it('refuses an upload over the cap without leaving a partial file behind', async () => {
    const cookie = await logInAsAdmin(app);
    const before = await files('originals');
    const big = Buffer.concat([await makeJpeg(), Buffer.alloc(256 * 1024)]);

    const upload = await app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: uploadForm([
        ['name', 'too big'],
        ['file', big, 'big.jpg'],
      ]),
    });

    expect(upload.statusCode).toBe(413);
    expect(await files('originals')).toEqual(before);
    expect(await files('.tmp')).toEqual([]);
  });
});
