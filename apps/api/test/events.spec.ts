import type { AddressInfo } from 'node:net';
import { sendCallback, thumbnailsDone } from './support/callbacks';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, SECRETS, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';
import { until } from './support/until';

/** Reads a Server-Sent Events stream until `done` says enough has arrived. */
async function readUntil(
  body: ReadableStream<Uint8Array> | null,
  done: (text: string) => boolean,
): Promise<string> {
  if (!body) throw new Error('the response has no body');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('GET /api/events', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;
  let baseUrl: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, { eventPingIntervalMs: 50 });
    cookie = await logInAsAdmin(test.app);
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  it('streams image.updated to a logged-in client after a callback', async () => {
    const id = await seedImage(database);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/events`, {
      headers: { cookie },
      signal: controller.signal,
    });
    const body = response.body;
    const opening = await readUntil(body, (text) => text.includes('retry:'));

    await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
      secret: SECRETS.thumbnail[0],
    });
    const text = await readUntil(body, (seen) => seen.includes('event: image.updated'));
    controller.abort();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(opening).toContain('retry: 1000\n\n');
    const [, eventId, data] = /id: (\d+)\nevent: image.updated\ndata: (.*)\n\n/.exec(text) ?? [];
    expect(eventId).toBe('1');
    expect(JSON.parse(data)).toMatchObject({ id, status: { thumbnail: 'done' } });
  });

  it('pings an idle stream with a comment', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/events`, {
      headers: { cookie },
      signal: controller.signal,
    });

    const text = await readUntil(response.body, (seen) => seen.includes(': ping\n\n'));
    controller.abort();

    expect(text).toContain(': ping\n\n');
  });

  it('stops listening when the client goes away', async () => {
    // Only the test app's own recorder listens once earlier streams have wound down.
    const before = 1;
    await until(() => test.bus.listenerCount() === before);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/events`, {
      headers: { cookie },
      signal: controller.signal,
    });
    await readUntil(response.body, (text) => text.includes('retry:'));
    const whileOpen = test.bus.listenerCount();

    controller.abort();
    await until(() => test.bus.listenerCount() === before);

    expect(whileOpen).toBe(before + 1);
    expect(test.bus.listenerCount()).toBe(before);
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
    const response = await fetch(`http://127.0.0.1:${port}/api/events`, {
      headers: { cookie: otherCookie },
    });
    await readUntil(response.body, (text) => text.includes('retry:'));

    await other.app.close();
    const rest = await readUntil(response.body, () => false);

    expect(rest).toBe('');
    expect(other.bus.listenerCount()).toBe(1); // only the test's own recorder
  });
});
