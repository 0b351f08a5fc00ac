import { perProcessor } from '@gallery/processors';
import { imageUploadedV1, imageView } from '@gallery/message-schema';
import { originalKey } from '@gallery/storage';
import { randomUUID } from 'node:crypto';
import { failed, sendCallback, tagsDone } from './support/callbacks';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, SECRETS, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('POST /api/admin/images/:id/reprocess', () => {
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
    await database.db.deleteFrom('outbox').execute();
    await test.changes.mark();
    test.nudges = 0;
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  const reprocess = (id: string, headers: Record<string, string> = { cookie }) =>
    test.app.inject({ method: 'POST', url: `/api/admin/images/${id}/reprocess`, headers });

  const report = (id: string, processor: 'thumbnails' | 'tags', payload: unknown) =>
    sendCallback(test.app, id, processor, payload, {
      secret: processor === 'tags' ? SECRETS.tags[0] : SECRETS.thumbnail[0],
    });

  const outboxEvents = async () =>
    (await database.db.selectFrom('outbox').selectAll().orderBy('id').execute()).map((row) => ({
      type: row.type,
      event: imageUploadedV1.parse(row.payload),
    }));

  const statuses = async (id: string) =>
    imageView.parse(
      (await test.app.inject({ url: `/api/images/${id}`, headers: { cookie } })).json(),
    );

  it('queues a new image.uploaded event that describes the stored original', async () => {
    // prepare
    const createdAt = new Date('2026-02-03T04:05:06.789Z');
    const id = await seedImage(database, { createdAt });

    // act
    const response = await reprocess(id);

    // assess
    expect(response.statusCode).toBe(202);
    expect(imageView.parse(response.json()).id).toBe(id);
    const events = await outboxEvents();
    expect(events).toEqual([
      {
        type: 'image.uploaded',
        event: {
          type: 'image.uploaded',
          version: 1,
          eventId: expect.any(String),
          imageId: id,
          bucket: test.store.bucket,
          key: originalKey(id),
          contentType: 'image/jpeg',
          size: 1234,
          uploadedAt: '2026-02-03T04:05:06.789Z',
          correlationId: response.headers['x-request-id'],
        },
      },
    ]);
    expect(test.nudges).toBe(1);
  });

  it('makes a new event each time, with the id of the request that asked for it', async () => {
    // prepare
    const id = await seedImage(database);

    // act
    const first = await reprocess(id);
    const second = await reprocess(id);

    // assess
    const [one, two] = await outboxEvents();
    expect(one.event.eventId).not.toBe(two.event.eventId);
    expect([one.event.correlationId, two.event.correlationId]).toEqual([
      first.headers['x-request-id'],
      second.headers['x-request-id'],
    ]);
  });

  it('sets failed processors back to pending without their reasons, and says so', async () => {
    // prepare
    const id = await seedImage(database);
    await report(id, 'thumbnails', failed(id, 'Corrupt JPEG data: bad Huffman code'));
    await report(id, 'tags', failed(id, 'Corrupt JPEG data: bad Huffman code'));
    await test.changes.mark();

    // act
    const response = await reprocess(id);

    // assess
    const view = imageView.parse(response.json());
    expect(view.status).toEqual(perProcessor(() => 'pending'));
    expect(view.errors).toEqual({});
    expect(await statuses(id)).toEqual(view);
    expect(await test.changes.since()).toEqual([{ type: 'image.updated', data: view }]);
  });

  it('keeps a done processor done and its tags, resetting only the failed one', async () => {
    // prepare
    const id = await seedImage(database);
    await report(id, 'thumbnails', failed(id, 'unsupported'));
    await report(id, 'tags', tagsDone(id));

    // act
    const response = await reprocess(id);

    // assess
    const view = imageView.parse(response.json());
    expect(view.status).toMatchObject({ thumbnail: 'pending', tags: 'done' });
    expect(view.errors).toEqual({});
    expect(view.tags.map((tag) => tag.name)).toEqual(['beach', 'sea']);
  });

  it('announces nothing when no status changed, yet still queues the event', async () => {
    // prepare
    const id = await seedImage(database);
    await report(id, 'tags', tagsDone(id));
    await test.changes.mark();

    // act
    const response = await reprocess(id);

    // assess
    expect(response.statusCode).toBe(202);
    expect(imageView.parse(response.json()).status).toMatchObject({
      thumbnail: 'pending',
      tags: 'done',
    });
    expect(await test.changes.since()).toEqual([]);
    expect(await outboxEvents()).toHaveLength(1);
  });

  it('records the same failure again when the new event fails like the old one', async () => {
    // prepare
    const id = await seedImage(database);
    const reason = 'Corrupt JPEG data: bad Huffman code';
    await report(id, 'thumbnails', failed(id, reason));
    await reprocess(id);
    const [{ event }] = await outboxEvents();

    // act
    const response = await report(id, 'thumbnails', failed(id, reason, event.eventId));

    // assess
    expect(response.statusCode).toBe(204);
    const view = await statuses(id);
    expect(view.status.thumbnail).toBe('failed');
    expect(view.errors).toEqual({ thumbnail: reason });
  });

  it('treats a done report equal to the stored one as no change', async () => {
    // prepare
    const id = await seedImage(database);
    const done = tagsDone(id);
    await report(id, 'tags', done);
    await reprocess(id);
    const [{ event }] = await outboxEvents();
    await test.changes.mark();

    // act
    await report(id, 'tags', { ...done, eventId: event.eventId });

    // assess
    expect(await test.changes.since()).toEqual([]);
    expect((await statuses(id)).status.tags).toBe('done');
  });

  it('answers 404 for an image that does not exist, and queues nothing', async () => {
    // act
    const response = await reprocess(randomUUID());

    // assess
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ message: 'not found' });
    expect(await outboxEvents()).toEqual([]);
    expect(test.nudges).toBe(0);
  });

  it.each(['not-an-id', randomUUID().toUpperCase()])('answers 400 for the id %s', async (id) => {
    // act
    const response = await reprocess(id);

    // assess
    expect(response.statusCode).toBe(400);
    expect(await outboxEvents()).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    // prepare
    const id = await seedImage(database);

    // act
    const response = await reprocess(id, {});

    // assess
    expect(response.statusCode).toBe(401);
    expect(await outboxEvents()).toEqual([]);
  });

  it('refuses a cross-site request with 403, even with the session cookie', async () => {
    // prepare
    const id = await seedImage(database);

    // act
    const response = await reprocess(id, {
      cookie,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });

    // assess
    expect(response.statusCode).toBe(403);
    expect(await outboxEvents()).toEqual([]);
  });
});
