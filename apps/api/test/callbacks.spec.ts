import { perProcessor } from '@gallery/processors';
import { signRequest } from '@gallery/api-client';
import { thumbnailKey } from '@gallery/storage';
import { makeJpeg, uploadForm } from './support/images';
import { randomUUID } from 'node:crypto';
import { failed, sendCallback, tagsDone, thumbnailsDone } from './support/callbacks';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, SECRETS, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('worker callbacks', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database);
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await test.changes.mark();
    test.store.objects.clear();
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  const view = async (id: string) =>
    (await test.app.inject({ url: `/api/images/${id}`, headers: { cookie } })).json();
  const thumbnailSecret = SECRETS.thumbnail[0];
  const tagsSecret = SECRETS.tags[0];

  describe('PUT /internal/images/:id/thumbnails', () => {
    it('records thumbnails, dimensions and placeholder, and announces the image', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
        secret: thumbnailSecret,
      });

      expect(response.statusCode).toBe(204);
      const image = await view(id);
      expect(image).toMatchObject({
        width: 4000,
        height: 3000,
        placeholder: 'YJqGPQw7sFlslqhFafSE+Q6oJ1h2iHB2Rw',
        status: { thumbnail: 'done', tags: 'pending' },
        thumbnails: [
          { width: 256, height: 192, format: 'webp', url: `/api/images/${id}/thumbnails/256.webp` },
          {
            width: 1024,
            height: 768,
            format: 'webp',
            url: `/api/images/${id}/thumbnails/1024.webp`,
          },
        ],
      });
      expect(await test.changes.since()).toEqual([{ type: 'image.updated', data: image }]);
    });

    it('changes nothing and announces nothing for the same callback twice', async () => {
      const id = await seedImage(database);
      const report = thumbnailsDone(id);

      const first = await sendCallback(test.app, id, 'thumbnails', report, {
        secret: thumbnailSecret,
      });
      const second = await sendCallback(test.app, id, 'thumbnails', report, {
        secret: thumbnailSecret,
      });

      expect([first.statusCode, second.statusCode]).toEqual([204, 204]);
      expect(await test.changes.since()).toHaveLength(1);
      expect((await view(id)).thumbnails).toHaveLength(2);
    });

    it('changes nothing and announces nothing for the same result from another event', async () => {
      const id = await seedImage(database);

      await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id, randomUUID()), {
        secret: thumbnailSecret,
      });
      const again = await sendCallback(
        test.app,
        id,
        'thumbnails',
        thumbnailsDone(id, randomUUID()),
        {
          secret: thumbnailSecret,
        },
      );

      expect(again.statusCode).toBe(204);
      expect(await test.changes.since()).toHaveLength(1);
    });

    it('replaces earlier thumbnails with a different report', async () => {
      const id = await seedImage(database);
      await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
        secret: thumbnailSecret,
      });
      const smaller = {
        ...thumbnailsDone(id),
        thumbnails: [
          { width: 128, height: 96, format: 'avif', key: thumbnailKey(id, 128, 'avif'), size: 10 },
        ],
      };

      await sendCallback(test.app, id, 'thumbnails', smaller, { secret: thumbnailSecret });

      expect((await view(id)).thumbnails.map((t: { width: number }) => t.width)).toEqual([128]);
      expect(await test.changes.since()).toHaveLength(2);
    });

    it('records a failure with its reason', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(
        test.app,
        id,
        'thumbnails',
        failed(id, 'HEIC is not supported'),
        { secret: thumbnailSecret },
      );

      expect(response.statusCode).toBe(204);
      const image = await view(id);
      expect(image.status).toMatchObject({ thumbnail: 'failed', tags: 'pending' });
      expect(image.errors).toEqual({ thumbnail: 'HEIC is not supported' });
      expect(await test.changes.since()).toHaveLength(1);
    });

    it('keeps a success when a late failure of the same event arrives', async () => {
      const id = await seedImage(database);
      const report = thumbnailsDone(id);
      await sendCallback(test.app, id, 'thumbnails', report, { secret: thumbnailSecret });

      await sendCallback(test.app, id, 'thumbnails', failed(id, 'timed out', report.eventId), {
        secret: thumbnailSecret,
      });

      expect((await view(id)).status.thumbnail).toBe('done');
      expect(await test.changes.since()).toHaveLength(1);
    });

    it('refuses a thumbnail key outside the key layout with 400', async () => {
      const id = await seedImage(database);
      const report = thumbnailsDone(id);
      if (report.status === 'done') report.thumbnails[0].key = `originals/${id}`;

      const response = await sendCallback(test.app, id, 'thumbnails', report, {
        secret: thumbnailSecret,
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/should be thumbnails\//);
      expect((await view(id)).status.thumbnail).toBe('pending');
    });

    it('refuses a body that does not match the schema with 400', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(
        test.app,
        id,
        'thumbnails',
        { status: 'done' },
        { secret: thumbnailSecret },
      );

      expect(response.statusCode).toBe(400);
    });

    it('answers 410 for a deleted image and removes the thumbnails written meanwhile', async () => {
      const id = await seedImage(database);
      await database.db.deleteFrom('images').where('id', '=', id).execute();
      test.store.objects.set(thumbnailKey(id, 256, 'webp'), {
        data: Buffer.from('x'),
        contentType: 'image/webp',
      });

      const response = await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
        secret: thumbnailSecret,
      });

      expect(response.statusCode).toBe(410);
      expect(response.json()).toEqual({ message: 'image not found or deleted' });
      expect(test.store.objects.size).toBe(0);
      expect(await test.changes.since()).toHaveLength(0);
    });

    it('answers 410 to a callback that arrives after the image was deleted', async () => {
      const upload = await test.app.inject({
        method: 'POST',
        url: '/api/images',
        headers: { cookie },
        payload: uploadForm([
          ['name', 'short-lived'],
          ['file', await makeJpeg(), 'a.jpg'],
        ]),
      });
      const id = upload.json().id;
      await test.app.inject({ method: 'DELETE', url: `/api/images/${id}`, headers: { cookie } });
      await test.changes.mark();

      const thumbnails = await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
        secret: thumbnailSecret,
      });
      const tags = await sendCallback(test.app, id, 'tags', tagsDone(id), { secret: tagsSecret });

      expect([thumbnails.statusCode, tags.statusCode]).toEqual([410, 410]);
      expect([thumbnails.json(), tags.json()]).toEqual([
        { message: 'image not found or deleted' },
        { message: 'image not found or deleted' },
      ]);
      expect(await test.changes.since()).toHaveLength(0);
    });
  });

  describe('PUT /internal/images/:id/tags', () => {
    it('records the labels as lower-case tags and marks the image tagged', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(test.app, id, 'tags', tagsDone(id), {
        secret: tagsSecret,
      });

      expect(response.statusCode).toBe(204);
      const image = await view(id);
      expect(image.status.tags).toBe('done');
      expect(image.tags).toEqual([
        { name: 'beach', confidence: 97.5, source: 'rekognition' },
        { name: 'sea', confidence: 88, source: 'rekognition' },
      ]);
      expect(await test.changes.since()).toEqual([{ type: 'image.updated', data: image }]);
    });

    it('replaces the labeler tags and keeps the manual ones', async () => {
      const id = await seedImage(database);
      await sendCallback(test.app, id, 'tags', tagsDone(id), { secret: tagsSecret });
      await test.app.inject({
        method: 'PATCH',
        url: `/api/images/${id}`,
        headers: { cookie },
        payload: { tags: ['holiday'] },
      });
      const again = { ...tagsDone(id), tags: [{ name: 'Dune', confidence: 70 }] };

      await sendCallback(test.app, id, 'tags', again, { secret: tagsSecret });

      expect((await view(id)).tags).toEqual([
        { name: 'holiday', confidence: null, source: 'manual' },
        { name: 'dune', confidence: 70, source: 'rekognition' },
      ]);
    });

    it('changes nothing and announces nothing for the same callback twice', async () => {
      const id = await seedImage(database);
      const report = tagsDone(id);

      await sendCallback(test.app, id, 'tags', report, { secret: tagsSecret });
      await sendCallback(test.app, id, 'tags', report, { secret: tagsSecret });

      expect(await test.changes.since()).toHaveLength(1);
    });

    it('records a failure with its reason next to a thumbnail success', async () => {
      const id = await seedImage(database);
      await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
        secret: thumbnailSecret,
      });

      await sendCallback(test.app, id, 'tags', failed(id, 'InvalidImageFormat'), {
        secret: tagsSecret,
      });

      const image = await view(id);
      expect(image.status).toMatchObject({ thumbnail: 'done', tags: 'failed' });
      expect(image.errors).toEqual({ tags: 'InvalidImageFormat' });
    });
  });

  describe('the image a callback is for', () => {
    const reports = {
      thumbnails: { report: thumbnailsDone, secret: SECRETS.thumbnail[0] },
      tags: { report: tagsDone, secret: SECRETS.tags[0] },
    };

    it.each(['thumbnails', 'tags'] as const)(
      'refuses a signed %s callback replayed onto another image with 400 and changes neither',
      async (processor) => {
        const reported = await seedImage(database);
        const other = await seedImage(database);
        const { report, secret } = reports[processor];

        const response = await sendCallback(test.app, other, processor, report(reported), {
          secret,
        });

        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          message: `the body is for image ${reported}, the path for ${other}`,
        });
        expect((await view(reported)).status).toEqual(perProcessor(() => 'pending'));
        expect((await view(other)).status).toEqual(perProcessor(() => 'pending'));
        expect(await test.changes.since()).toHaveLength(0);
      },
    );

    it.each(['thumbnails', 'tags'] as const)(
      'answers 410 to a %s callback for an image that never existed',
      async (processor) => {
        const id = randomUUID();
        const { report, secret } = reports[processor];

        const response = await sendCallback(test.app, id, processor, report(id), { secret });

        expect(response.statusCode).toBe(410);
        expect(response.json()).toEqual({ message: 'image not found or deleted' });
        expect(await test.changes.since()).toHaveLength(0);
      },
    );
  });

  describe('signatures', () => {
    const cases: Array<
      [string, { secret?: string; headers?: Record<string, string>; now?: number }]
    > = [
      ['an unsigned callback', {}],
      ['a callback signed with an unknown secret', { secret: 'some-other-secret-0123456789' }],
      ['a callback signed with the tags worker secret', { secret: SECRETS.tags[0] }],
      [
        'a callback signed ten minutes ago',
        { secret: SECRETS.thumbnail[0], now: Date.now() - 600_000 },
      ],
      [
        'a callback with a tampered signature',
        { secret: SECRETS.thumbnail[0], headers: { 'gallery-signature': `v1=${'0'.repeat(64)}` } },
      ],
    ];

    it.each(cases)('refuses %s with 401 and changes nothing', async (_case, signing) => {
      const id = await seedImage(database);

      const response = await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), signing);

      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ message: expect.stringMatching(/^callback refused/) });
      expect((await view(id)).status.thumbnail).toBe('pending');
      expect(await test.changes.since()).toHaveLength(0);
    });

    it('refuses the thumbnail worker secret on the tags route', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(test.app, id, 'tags', tagsDone(id), {
        secret: SECRETS.thumbnail[0],
      });

      expect(response.statusCode).toBe(401);
    });

    it('refuses an unsigned callback before looking at its body', async () => {
      const response = await sendCallback(test.app, 'not-an-id', 'tags', 'not json at all', {});

      expect(response.statusCode).toBe(401);
    });

    it('still accepts the previous secret during a rotation', async () => {
      const id = await seedImage(database);

      const response = await sendCallback(test.app, id, 'tags', tagsDone(id), {
        secret: SECRETS.tags[1],
      });

      expect(response.statusCode).toBe(204);
    });

    it('checks the signature over the body exactly as sent', async () => {
      const id = await seedImage(database);
      const report = tagsDone(id);
      const body = JSON.stringify(report);
      const headers = await signRequest(tagsSecret, body);

      // Same JSON value, different bytes: the signature no longer matches.
      const response = await test.app.inject({
        method: 'PUT',
        url: `/internal/images/${id}/tags`,
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(report, null, 2),
      });

      expect(response.statusCode).toBe(401);
    });
  });
});
