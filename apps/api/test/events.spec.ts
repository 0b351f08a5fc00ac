import type { AddressInfo } from 'node:net';
import { readPosition } from '../src/feed/read-changes';
import { sendCallback, thumbnailsDone } from './support/callbacks';
import { changesOf, openEventStream, type EventStream } from './support/event-stream';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, SECRETS, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';
import { until } from './support/until';

describe('GET /api/events', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;
  let baseUrl: string;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, { eventPingIntervalMs: 50 });
    cookie = await logInAsAdmin(test.app);
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`;
  });
  /** The feed's last number when the test began: the test's changes come after it. */
  let base: number;
  const nth = (n: number) => String(base + n);
  beforeEach(async () => {
    base = (await readPosition(database.db)).last;
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  async function open(headers: Record<string, string> = {}, query = '') {
    const stream = await openEventStream(`${baseUrl}/api/events${query}`, { cookie, ...headers });
    streams.push(stream);
    return stream;
  }

  /** Renames an image through the API: one `image.updated` change. */
  async function rename(id: string, name: string) {
    const response = await test.app.inject({
      method: 'PATCH',
      url: `/api/images/${id}`,
      headers: { cookie },
      payload: { name },
    });
    expect(response.statusCode).toBe(200);
  }

  it('streams image.updated after a callback, numbered as the feed numbers it', async () => {
    const id = await seedImage(database);
    const stream = await open();
    await stream.until((events) => events.some((event) => event.id === nth(0)));

    await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
      secret: SECRETS.thumbnail[0],
    });
    const events = await stream.until((seen) => seen.some((e) => e.event === 'image.updated'));

    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    expect(stream.text().startsWith('retry: 1000\n\n')).toBe(true);
    const updated = events.find((event) => event.event === 'image.updated');
    expect(updated?.id).toBe(nth(1));
    expect(JSON.parse(updated?.data ?? '')).toMatchObject({ id, status: { thumbnail: 'done' } });
  });

  it('starts a stream without Last-Event-ID at the latest change, giving its number', async () => {
    const id = await seedImage(database);
    await rename(id, 'one');
    await rename(id, 'two');

    const stream = await open();
    const events = await stream.until((seen) => seen.length > 0);

    expect(events).toEqual([{ id: nth(2) }]);
  });

  it('replays every change after Last-Event-ID, then goes live, none twice', async () => {
    const id = await seedImage(database);
    for (const name of ['one', 'two', 'three']) await rename(id, name);

    const stream = await open({ 'last-event-id': nth(1) });
    await stream.until((events) => events.length >= 2);
    await rename(id, 'four');
    const events = await stream.until((seen) => seen.length >= 3);

    expect(changesOf(events)).toEqual([2, 3, 4].map((n) => `${nth(n)} image.updated`));
    expect(events.map((event) => JSON.parse(event.data ?? '').name)).toEqual([
      'two',
      'three',
      'four',
    ]);
  });

  it('takes the last event from ?lastEventId= for a new EventSource', async () => {
    const id = await seedImage(database);
    for (const name of ['one', 'two']) await rename(id, name);

    const stream = await open({}, `?lastEventId=${nth(1)}`);
    const events = await stream.until((seen) => seen.length >= 1);

    expect(changesOf(events)).toEqual([`${nth(2)} image.updated`]);
  });

  it('hands over from replay to live without a gap while changes keep coming', async () => {
    const id = await seedImage(database);
    for (let n = 0; n < 5; n++) await rename(id, `before ${n}`);

    const renames = Array.from({ length: 30 }, (_, n) => rename(id, `during ${n}`));
    const stream = await open({ 'last-event-id': nth(0) });
    await Promise.all(renames);
    const events = await stream.until((seen) => seen.length >= 35);
    await rename(id, 'after');
    await stream.until((seen) => seen.length >= 36);

    expect(events.map((event) => event.id)).toEqual(
      Array.from({ length: 36 }, (_, n) => nth(n + 1)),
    );
  });

  it.each([
    ['garbage', () => 'not-a-number'],
    ['a number the feed never reached', () => nth(99)],
  ])('sends one reset event for %s, then live changes', async (_, lastEventId) => {
    const id = await seedImage(database);
    await rename(id, 'one');

    const stream = await open({ 'last-event-id': lastEventId() });
    await stream.until((events) => events.length >= 1);
    await rename(id, 'two');
    const events = await stream.until((seen) => seen.length >= 2);

    expect(events[0]).toEqual({ id: nth(1), event: 'reset', data: '{}' });
    expect(changesOf(events.slice(1))).toEqual([`${nth(2)} image.updated`]);
  });

  it('sends reset for a number older than the feed keeps', async () => {
    const id = await seedImage(database);
    for (const name of ['one', 'two', 'three']) await rename(id, name);
    await database.db.deleteFrom('changes').where('seq', '<=', nth(2)).execute();
    await database.db
      .updateTable('feed_state')
      .set({ pruned_through: nth(2) })
      .execute();

    const kept = await open({ 'last-event-id': nth(2) });
    const lost = await open({ 'last-event-id': nth(1) });

    expect(changesOf(await kept.until((events) => events.length >= 1))).toEqual([
      `${nth(3)} image.updated`,
    ]);
    expect((await lost.until((events) => events.length >= 1))[0]).toMatchObject({
      id: nth(3),
      event: 'reset',
    });
  });

  it('pings an idle stream with a comment', async () => {
    const stream = await open();
    await until(() => stream.text().includes(': ping\n\n'));

    expect(stream.text()).toContain(': ping\n\n');
  });

  it('stops following the feed when the client goes away', async () => {
    await until(() => test.hub.subscriberCount() === 0);
    const stream = await open();
    await stream.until((events) => events.length > 0);
    const whileOpen = test.hub.subscriberCount();

    stream.close();
    await until(() => test.hub.subscriberCount() === 0);

    expect(whileOpen).toBe(1);
  });

  it('refuses a client without a session with 401', async () => {
    const response = await fetch(`${baseUrl}/api/events`);

    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it('ends open streams when the server closes', async () => {
    const other = await buildTestApp(database);
    await other.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (other.app.server.address() as AddressInfo).port;
    const otherCookie = await logInAsAdmin(other.app);
    const stream = await openEventStream(`http://127.0.0.1:${port}/api/events`, {
      cookie: otherCookie,
    });
    await stream.until((events) => events.length > 0);

    await other.app.close();
    await stream.ended;

    expect(other.hub.subscriberCount()).toBe(0);
  });
});
