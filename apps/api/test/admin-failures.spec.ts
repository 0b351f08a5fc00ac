import { createFileDeadLetters, createFileQueue, type FileQueue } from '@gallery/messaging';
import { anImageUploaded } from '@gallery/messaging/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTERS_IN_SQS } from '../src/admin/failure-routes';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the dead letters under /api/admin/failures', () => {
  let database: TestDatabase;
  let queuesDir: string;
  let test: TestApp;
  let cookie: string;
  let thumbnails: FileQueue;
  let tags: FileQueue;
  let clock: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    queuesDir = await mkdtemp(join(tmpdir(), 'gallery-queues-'));
    const queues = ['thumbnails', 'tags'];
    test = await buildTestApp(database, {
      deadLetters: createFileDeadLetters({ queuesDir, queues }),
    });
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await rm(queuesDir, { recursive: true, force: true });
    clock = Date.parse('2026-03-01T12:00:00Z');
    const now = () => clock;
    // A real event is retried until it runs out of receives; the poison one goes at once.
    thumbnails = createFileQueue({
      dir: join(queuesDir, 'thumbnails'),
      name: 'thumbnails',
      visibilityTimeoutSeconds: 0,
      maxReceiveCount: 2,
      now,
    });
    tags = createFileQueue({ dir: join(queuesDir, 'tags'), name: 'tags', now });
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
    await rm(queuesDir, { recursive: true, force: true });
  });

  async function deadLetterPoison(queue: FileQueue) {
    await queue.send('{"not":"an event"');
    const [message] = await queue.receive(1);
    await queue.deadLetter(message.receiptHandle, 'body is not JSON');
  }

  async function exhaustReceives(queue: FileQueue, body: string) {
    await queue.send(body);
    for (let receives = 0; receives < 2; receives++) {
      const [message] = await queue.receive(1);
      await queue.release(message.receiptHandle, 'thumbnail service unavailable');
    }
    // The third receive finds the count spent and buries the message.
    expect(await queue.receive(1)).toEqual([]);
  }

  const inject = (method: 'GET' | 'POST', url: string, headers = { cookie }) =>
    test.app.inject({ method, url, headers });

  it('lists a dead-lettered poison message and a spent real event, newest first', async () => {
    // prepare
    const event = anImageUploaded();
    await deadLetterPoison(tags);
    clock += 1000;
    await exhaustReceives(thumbnails, JSON.stringify(event));
    // act
    const response = await inject('GET', '/api/admin/failures');
    // assess
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          queue: 'thumbnails',
          messageId: expect.any(String),
          imageId: event.imageId,
          reason: 'exceeded maxReceiveCount (2)',
          receiveCount: 2,
          deadLetteredAt: '2026-03-01T12:00:01.000Z',
        },
        {
          queue: 'tags',
          messageId: expect.any(String),
          imageId: null,
          reason: 'body is not JSON',
          receiveCount: 1,
          deadLetteredAt: '2026-03-01T12:00:00.000Z',
        },
      ],
    });
  });

  it('moves every dead letter back to its queue on redrive', async () => {
    // prepare
    await deadLetterPoison(tags);
    await exhaustReceives(thumbnails, JSON.stringify(anImageUploaded()));
    // act
    const response = await inject('POST', '/api/admin/failures/redrive');
    // assess
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ moved: 2 });
    expect(await thumbnails.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
    expect(await tags.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
    expect((await inject('GET', '/api/admin/failures')).json()).toEqual({ items: [] });
  });

  it('answers 401 without a session and touches no dead letter', async () => {
    // prepare
    await deadLetterPoison(tags);
    // act
    const list = await inject('GET', '/api/admin/failures', { cookie: '' });
    const redrive = await inject('POST', '/api/admin/failures/redrive', { cookie: '' });
    // assess
    expect(list.statusCode).toBe(401);
    expect(redrive.statusCode).toBe(401);
    expect(await tags.counts()).toEqual({ ready: 0, leased: 0, dead: 1 });
  });
});

describe('the dead letters where they are SQS queues', () => {
  let database: TestDatabase;
  let test: TestApp;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database);
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  it.each([
    ['GET', '/api/admin/failures'],
    ['POST', '/api/admin/failures/redrive'],
  ] as const)('answers %s %s with 501 and where to look instead', async (method, url) => {
    // prepare
    const cookie = await logInAsAdmin(test.app);
    // act
    const response = await test.app.inject({ method, url, headers: { cookie } });
    // assess
    expect(response.statusCode).toBe(501);
    expect(response.json()).toEqual({ message: DEAD_LETTERS_IN_SQS });
  });
});
