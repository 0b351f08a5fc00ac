import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('albums', () => {
  let database: TestDatabase;
  let test: TestApp;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database);
    admin = await logInAsAdmin(test.app);
    await call(admin, 'POST', '/api/users', { username: 'mia', password: 'mia password' });
    const login = await call(undefined, 'POST', '/api/auth/login', {
      username: 'mia',
      password: 'mia password',
    });
    const cookie = login.cookies.find((c) => c.name === 'gallery_session');
    member = `${cookie?.name}=${cookie?.value}`;
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  function call(
    cookie: string | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) {
    return test.app.inject({
      method,
      url,
      headers: cookie ? { cookie } : {},
      ...(payload && { payload }),
    });
  }

  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

  it('makes an album, adds many images at once, covers it with the newest, lists its images', async () => {
    const older = await seedImage(database, { name: 'older', createdAt: at(1) });
    const newer = await seedImage(database, { name: 'newer', createdAt: at(2) });
    const made = await call(member, 'POST', '/api/albums', { name: 'Summer', description: 'Hot' });
    expect(made.statusCode).toBe(201);
    const { id } = made.json<{ id: string }>();
    await test.changes.mark();

    const added = await call(member, 'POST', `/api/albums/${id}/images`, {
      imageIds: [older, newer, older],
    });

    expect(added.json()).toMatchObject({
      name: 'Summer',
      description: 'Hot',
      addedBy: { username: 'mia' },
      imageCount: 2,
      cover: { imageId: newer },
      coverChosen: false,
    });
    const listed = await call(member, 'GET', `/api/images?album=${id}`);
    expect(listed.json<{ items: { id: string; albums: string[] }[] }>().items).toEqual([
      expect.objectContaining({ id: newer, albums: [id] }),
      expect.objectContaining({ id: older, albums: [id] }),
    ]);
    // Each image's JSON changed (its albums), and the album's.
    expect((await test.changes.since()).map((change) => change.type).sort()).toEqual([
      'album.updated',
      'image.updated',
      'image.updated',
    ]);
  });

  it('adds nothing when one image is unknown, and says which', async () => {
    const known = await seedImage(database);
    const { id } = (await call(member, 'POST', '/api/albums', { name: 'Strict' })).json<{
      id: string;
    }>();
    const unknown = '00000000-0000-4000-8000-000000000000';

    const response = await call(member, 'POST', `/api/albums/${id}/images`, {
      imageIds: [known, unknown],
    });

    expect([response.statusCode, response.json()]).toEqual([
      400,
      { message: `no image ${unknown}` },
    ]);
    expect((await call(member, 'GET', `/api/albums/${id}`)).json()).toMatchObject({
      imageCount: 0,
    });
  });

  it('chooses a cover among its images only, and forgets it when that image leaves', async () => {
    const [first, second] = [await seedImage(database), await seedImage(database)];
    const outside = await seedImage(database);
    const { id } = (await call(member, 'POST', '/api/albums', { name: 'Covers' })).json<{
      id: string;
    }>();
    await call(member, 'POST', `/api/albums/${id}/images`, { imageIds: [first, second] });

    const wrong = await call(member, 'PATCH', `/api/albums/${id}`, { coverImageId: outside });
    const chosen = await call(member, 'PATCH', `/api/albums/${id}`, { coverImageId: first });
    expect(wrong.statusCode).toBe(400);
    expect(chosen.json()).toMatchObject({ cover: { imageId: first }, coverChosen: true });

    const removed = await call(member, 'DELETE', `/api/albums/${id}/images`, { imageIds: [first] });
    expect(removed.json()).toMatchObject({
      imageCount: 1,
      cover: { imageId: second },
      coverChosen: false,
    });
  });

  it('lets only its owner or an administrator change or delete it; deleting keeps its images', async () => {
    const image = await seedImage(database);
    const { id } = (await call(admin, 'POST', '/api/albums', { name: 'Admin’s' })).json<{
      id: string;
    }>();
    await call(admin, 'POST', `/api/albums/${id}/images`, { imageIds: [image] });

    const renamed = await call(member, 'PATCH', `/api/albums/${id}`, { name: 'Mine' });
    const deleted = await call(member, 'DELETE', `/api/albums/${id}`);
    const added = await call(member, 'POST', `/api/albums/${id}/images`, { imageIds: [image] });
    expect([renamed.statusCode, deleted.statusCode, added.statusCode]).toEqual([403, 403, 403]);

    expect((await call(admin, 'DELETE', `/api/albums/${id}`)).statusCode).toBe(204);
    expect((await call(member, 'GET', `/api/albums/${id}`)).statusCode).toBe(404);
    expect((await call(member, 'GET', `/api/images/${image}`)).json()).toMatchObject({
      albums: [],
    });
  });

  it('takes a deleted image out of its albums, which then count one fewer', async () => {
    const image = await seedImage(database);
    const { id } = (await call(member, 'POST', '/api/albums', { name: 'Shrinking' })).json<{
      id: string;
    }>();
    await call(member, 'POST', `/api/albums/${id}/images`, { imageIds: [image] });
    await test.changes.mark();

    expect((await call(admin, 'DELETE', `/api/images/${image}`)).statusCode).toBe(204);

    expect((await call(member, 'GET', `/api/albums/${id}`)).json()).toMatchObject({
      imageCount: 0,
      cover: null,
    });
    expect((await test.changes.since()).map((change) => change.type)).toEqual([
      'image.deleted',
      'album.updated',
    ]);
  });

  it('answers 404 for an unknown or malformed album id, 400 for a blank name', async () => {
    expect((await call(member, 'GET', '/api/albums/nope')).statusCode).toBe(404);
    expect(
      (await call(member, 'GET', '/api/albums/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    const blank = await call(member, 'POST', '/api/albums', { name: '   ' });
    expect(blank.statusCode).toBe(400);
  });
});
