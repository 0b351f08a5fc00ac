import { originalKey, thumbnailKey } from '@gallery/storage';
import { makeJpeg, uploadForm } from './support/images';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the image resource', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database);
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await database.db.deleteFrom('images').execute();
    test.store.objects.clear();
    await test.changes.mark();
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    test.app.inject({ url, headers: { cookie, ...headers } });

  function storedOriginal(id: string): Buffer {
    const object = test.store.objects.get(originalKey(id));
    if (!object) throw new Error(`no original stored for ${id}`);
    return object.data;
  }

  async function uploadJpeg(name = 'photo') {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: uploadForm([
        ['name', name],
        ['file', await makeJpeg(), 'a.jpg'],
      ]),
    });
    return response.json().id as string;
  }

  describe('GET /api/images', () => {
    it('walks every image, newest first, page by page, without duplicates', async () => {
      const base = Date.parse('2026-01-01T00:00:00Z');
      const ids: string[] = [];
      // Two images share each instant: the id breaks the tie.
      for (let i = 0; i < 7; i++) {
        ids.push(
          await seedImage(database, { createdAt: new Date(base + Math.floor(i / 2) * 1000) }),
        );
      }
      const expected = ids
        .map((id, i) => ({ id, at: Math.floor(i / 2) }))
        .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
        .map(({ id }) => id);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `limit=3&cursor=${cursor}` : 'limit=3';
        const response = await get(`/api/images?${query}`);
        expect(response.statusCode).toBe(200);
        const page = response.json();
        pageSizes.push(page.items.length);
        seen.push(...page.items.map((item: { id: string }) => item.id));
        cursor = page.nextCursor;
      } while (cursor);

      expect(pageSizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(expected);
    });

    it('answers one page and no cursor when everything fits', async () => {
      await seedImage(database);

      const page = (await get('/api/images')).json();

      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
    });

    it.each([
      ['a cursor that is not base64 JSON', 'cursor=%%%'],
      ['a cursor with the wrong shape', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`],
      ['a limit of 0', 'limit=0'],
      ['a limit over 100', 'limit=101'],
      ['a limit that is not a number', 'limit=ten'],
      ['an order it does not know', 'order=size'],
    ])('refuses %s with 400', async (_case, query) => {
      const response = await get(`/api/images?${query}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: expect.any(String) });
    });

    it('searches with q: every word, as the start of a word in a name or tag, accents folded', async () => {
      const cafe = await seedImage(database, { name: 'Café au lait' });
      await seedImage(database, { name: 'Rocket', tags: ['cafe'] });

      const page = (await get(`/api/images?q=${encodeURIComponent('CAFE la')}`)).json();

      expect(page.items.map((item: { id: string }) => item.id)).toEqual([cafe]);
    });

    it('refuses a search over 200 characters with 400', async () => {
      const response = await get(`/api/images?q=${'a'.repeat(201)}`);

      expect(response.statusCode).toBe(400);
    });

    it('filters by an exact tag, whatever its case in the query', async () => {
      const cat = await seedImage(database, { tags: ['cat', 'animal'] });
      await seedImage(database, { tags: ['dog', 'animal'] });
      await seedImage(database, { tags: ['cats'] });

      const page = (await get('/api/images?tag=%20Cat%20')).json();

      expect(page.items.map((item: { id: string }) => item.id)).toEqual([cat]);
    });

    it('lists everything for an empty tag', async () => {
      await seedImage(database, { tags: ['cat'] });
      await seedImage(database);

      const page = (await get('/api/images?tag=')).json();

      expect(page.items).toHaveLength(2);
    });
  });

  describe('GET /api/images/:id', () => {
    it('answers the image JSON', async () => {
      const id = await uploadJpeg('one');

      const response = await get(`/api/images/${id}`);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id, name: 'one' });
    });

    it.each([
      ['unknown', '3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d'],
      ['malformed', 'not-an-id'],
    ])('answers 404 for the %s id', async (_case, id) => {
      const response = await get(`/api/images/${id}`);

      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ message: 'not found' });
    });
  });

  describe('PATCH /api/images/:id', () => {
    const patch = (id: string, payload: Record<string, unknown>) =>
      test.app.inject({ method: 'PATCH', url: `/api/images/${id}`, headers: { cookie }, payload });

    it('renames an image, trimmed, and announces the change', async () => {
      const id = await uploadJpeg('old');
      await test.changes.mark();

      const response = await patch(id, { name: '  new name ' });

      expect(response.statusCode).toBe(200);
      expect(response.json().name).toBe('new name');
      expect(await test.changes.since()).toEqual([
        { type: 'image.updated', data: response.json() },
      ]);
    });

    it('replaces every tag with the given ones, as manual tags, normalized and deduplicated', async () => {
      const id = await seedImage(database, { tags: ['old'] });

      const response = await patch(id, { tags: [' Beach ', 'beach', 'SUNSET', ''] });

      expect(response.statusCode).toBe(200);
      expect(response.json().tags).toEqual([
        { name: 'beach', confidence: null, source: 'manual' },
        { name: 'sunset', confidence: null, source: 'manual' },
      ]);
    });

    it('refuses a blank name with 400 and changes nothing', async () => {
      const id = await uploadJpeg('kept');

      const response = await patch(id, { name: '  ' });

      expect(response.statusCode).toBe(400);
      expect((await get(`/api/images/${id}`)).json().name).toBe('kept');
    });

    it('refuses a change of nothing with 400, changing and announcing nothing', async () => {
      const id = await uploadJpeg('kept');
      await test.changes.mark();

      const response = await patch(id, {});

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: 'nothing to change' });
      expect(await test.changes.since()).toEqual([]);
    });

    it('refuses an unknown field with 400 naming it, changing and announcing nothing', async () => {
      const id = await uploadJpeg('kept');
      await test.changes.mark();

      const response = await patch(id, { name: 'renamed', bogus: 1 });

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/bogus/);
      expect((await get(`/api/images/${id}`)).json().name).toBe('kept');
      expect(await test.changes.since()).toEqual([]);
    });

    it('answers 404 for an unknown image', async () => {
      const response = await patch('3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d', { name: 'x' });

      expect(response.statusCode).toBe(404);
    });
  });

  describe('DELETE /api/images/:id', () => {
    it('deletes the row, the original and every thumbnail, and announces it', async () => {
      const id = await uploadJpeg();
      const other = await uploadJpeg();
      test.store.objects.set(thumbnailKey(id, 256, 'webp'), {
        data: Buffer.from('t'),
        contentType: 'image/webp',
      });
      await test.changes.mark();

      const response = await test.app.inject({
        method: 'DELETE',
        url: `/api/images/${id}`,
        headers: { cookie },
      });

      expect(response.statusCode).toBe(204);
      expect((await get(`/api/images/${id}`)).statusCode).toBe(404);
      expect([...test.store.objects.keys()]).toEqual([originalKey(other)]);
      expect(await test.changes.since()).toEqual([{ type: 'image.deleted', data: { id } }]);
    });

    it('answers 404 for an unknown image', async () => {
      const response = await test.app.inject({
        method: 'DELETE',
        url: '/api/images/3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d',
        headers: { cookie },
      });

      expect(response.statusCode).toBe(404);
    });
  });

  describe('GET /api/images/:id/original', () => {
    it('streams the original with its type and headers that keep it inert', async () => {
      const id = await uploadJpeg('my holiday.jpg');
      const jpeg = storedOriginal(id);

      const response = await get(`/api/images/${id}/original`);

      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(jpeg)).toBe(true);
      expect(response.headers).toMatchObject({
        'content-type': 'image/jpeg',
        'content-length': String(jpeg.length),
        'x-content-type-options': 'nosniff',
        'content-disposition': `inline; filename="${id}"`,
        'content-security-policy': 'sandbox',
      });
    });

    it('answers a byte range with 206', async () => {
      const id = await uploadJpeg();
      const jpeg = storedOriginal(id);

      const response = await get(`/api/images/${id}/original`, { range: 'bytes=2-9' });

      expect(response.statusCode).toBe(206);
      expect(response.rawPayload.equals(jpeg.subarray(2, 10))).toBe(true);
      expect(response.headers['content-range']).toBe(`bytes 2-9/${jpeg.length}`);
      expect(response.headers['content-length']).toBe('8');
    });

    it('answers 416 to a range past the end', async () => {
      const id = await uploadJpeg();
      const size = storedOriginal(id).length;

      const response = await get(`/api/images/${id}/original`, { range: `bytes=${size}-` });

      expect(response.statusCode).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${size}`);
    });

    it('answers 404 when the image is unknown', async () => {
      const response = await get('/api/images/3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d/original');

      expect(response.statusCode).toBe(404);
    });
  });

  describe('GET /api/images/:id/thumbnails/:file', () => {
    async function withThumbnail() {
      const id = await seedImage(database);
      const key = thumbnailKey(id, 256, 'webp');
      await database.db
        .insertInto('thumbnails')
        .values({ image_id: id, width: 256, height: 192, format: 'webp', key, size: 4 })
        .execute();
      test.store.objects.set(key, { data: Buffer.from('RIFF'), contentType: 'image/webp' });
      return id;
    }

    it('streams a stored thumbnail, cacheable for good', async () => {
      const id = await withThumbnail();

      const response = await get(`/api/images/${id}/thumbnails/256.webp`);

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('RIFF');
      expect(response.headers).toMatchObject({
        'content-type': 'image/webp',
        'content-length': '4',
        'cache-control': 'private, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
      });
    });

    it.each(['512.webp', '256.jpeg', '256', '..%2F..%2Fetc', 'x.webp'])(
      'answers 404 for a file that is not a stored thumbnail: %s',
      async (file) => {
        const id = await withThumbnail();

        const response = await get(`/api/images/${id}/thumbnails/${file}`);

        expect(response.statusCode).toBe(404);
      },
    );
  });
});
