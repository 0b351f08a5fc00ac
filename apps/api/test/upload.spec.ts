import { sql } from 'kysely';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { imageUploadedV1, JSON_STORED } from '@gallery/message-schema';
import { perProcessor } from '@gallery/processors';
import { originalKey, type ObjectStore } from '@gallery/storage';
import { jpegOfSize } from './support/image-bytes';
import { makeJpeg, makePng, uploadForm } from './support/images';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { createRecordingLogger } from './support/recording-logger';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';
import { until } from './support/until';

/**
 * Starts an upload on a raw connection and leaves it unfinished: the headers announce far
 * more body than is sent, so the server waits for the rest of the file.
 */
async function startUpload(port: number, cookie: string, fileStart: Buffer): Promise<Socket> {
  const boundary = 'gallery-test-boundary';
  const head = [
    `--${boundary}`,
    'content-disposition: form-data; name="name"',
    '',
    'cut off',
    `--${boundary}`,
    'content-disposition: form-data; name="file"; filename="a.jpg"',
    'content-type: image/jpeg',
    '',
    '',
  ].join('\r\n');
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    [
      'POST /api/images HTTP/1.1',
      'host: 127.0.0.1',
      `cookie: ${cookie}`,
      `content-type: multipart/form-data; boundary=${boundary}`,
      'content-length: 1000000',
      '',
      head,
    ].join('\r\n'),
  );
  socket.write(fileStart);
  return socket;
}

describe('POST /api/images', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, { maxUploadBytes: 64 * 1024 });
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await database.db.deleteFrom('images').execute();
    await database.db.deleteFrom('outbox').execute();
    test.store.objects.clear();
    await test.changes.mark();
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  const upload = (form: FormData) =>
    test.app.inject({ method: 'POST', url: '/api/images', headers: { cookie }, payload: form });

  async function nothingKept() {
    return {
      objects: test.store.objects.size,
      images: (await database.db.selectFrom('images').selectAll().execute()).length,
      outbox: (await database.db.selectFrom('outbox').selectAll().execute()).length,
      events: (await test.changes.since()).length,
    };
  }

  it('stores a JPEG, records the image and its event, and announces it', async () => {
    const jpeg = await makeJpeg();

    const response = await upload(
      uploadForm([
        ['name', '  Sunset at sea  '],
        ['file', jpeg, 'IMG_0001.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(201);
    const image = response.json();
    expect(image).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Sunset at sea',
      contentType: 'image/jpeg',
      size: jpeg.length,
      width: null,
      height: null,
      createdAt: expect.any(String),
      status: perProcessor(() => 'pending'),
      errors: {},
      tags: [],
      thumbnails: [],
      placeholder: null,
      // Whoever was signed in.
      addedBy: { id: expect.any(String), username: 'admin' },
      albums: [],
      // Each processor stored as JSON has no result yet.
      ...Object.fromEntries(JSON_STORED.map((name) => [name, null])),
    });
    const stored = test.store.objects.get(originalKey(image.id));
    expect(stored?.data.equals(jpeg)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
    const [outbox] = await database.db.selectFrom('outbox').selectAll().execute();
    const event = imageUploadedV1.parse(outbox.payload);
    expect(outbox.type).toBe('image.uploaded');
    expect(outbox.published_at).toBeNull();
    expect(event).toMatchObject({
      imageId: image.id,
      bucket: 'test-bucket',
      key: originalKey(image.id),
      contentType: 'image/jpeg',
      size: jpeg.length,
      uploadedAt: image.createdAt,
      correlationId: response.headers['x-request-id'],
    });
    expect(await test.changes.since()).toEqual([{ type: 'image.created', data: image }]);
    expect(test.nudges).toBeGreaterThan(0);
  });

  it('takes the file before the name as well', async () => {
    const png = await makePng();

    const response = await upload(
      uploadForm([
        ['file', png, 'x.png'],
        ['name', 'Blue square'],
      ]),
    );

    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ name: 'Blue square', contentType: 'image/png' });
  });

  it('takes the content type from the bytes, not from the client', async () => {
    const png = await makePng();

    // uploadForm labels every file image/jpeg.
    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', png, 'photo.jpg'],
      ]),
    );

    expect(response.json().contentType).toBe('image/png');
  });

  it('refuses a file that is not an allowed image with 415 and keeps nothing', async () => {
    const text = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>');

    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', text, 'evil.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(415);
    expect(response.json().message).toMatch(/not an allowed image/);
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('refuses a file over the size cap with 413 and keeps nothing', async () => {
    const big = Buffer.concat([await makeJpeg(), Buffer.alloc(64 * 1024)]);

    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', big, 'big.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/larger than 65536 bytes/);
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('accepts a file of exactly the size cap', async () => {
    // Padded inside the image (a comment segment): bytes after its end would be refused.
    const exact = await jpegOfSize(64 * 1024);

    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', exact, 'exact.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(201);
    expect(response.json().size).toBe(64 * 1024);
  });

  it('refuses an empty file with 400', async () => {
    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', Buffer.alloc(0), 'e.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/empty/);
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('refuses a form without a file with 400', async () => {
    const response = await upload(uploadForm([['name', 'n']]));

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/file/);
  });

  it('refuses a form without a name with 400 and deletes the stored file', async () => {
    const response = await upload(uploadForm([['file', await makeJpeg(), 'a.jpg']]));

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/name/);
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('refuses a second file with 400, saying what the form should hold, and keeps nothing', async () => {
    const jpeg = await makeJpeg();

    const response = await upload(
      uploadForm([
        ['name', 'n'],
        ['file', jpeg, 'a.jpg'],
        ['file', jpeg, 'b.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      message: 'send one file, in a field named "file", and a "name" field',
    });
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('refuses a form with too many fields with 400, saying what it should hold', async () => {
    const extra = Array.from({ length: 10 }, (_, n): [string, string] => [`extra${n}`, 'x']);

    const response = await upload(
      uploadForm([['name', 'n'], ...extra, ['file', await makeJpeg(), 'a.jpg']]),
    );

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      message: 'send one file, in a field named "file", and a "name" field',
    });
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('refuses a body that is not a form with 400', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: { name: 'n', file: 'x' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/multipart/);
  });

  it.each([
    ['blank', '   '],
    ['too long', 'x'.repeat(201)],
  ])('refuses a %s name with 400', async (_case, name) => {
    const response = await upload(
      uploadForm([
        ['name', name],
        ['file', await makeJpeg(), 'a.jpg'],
      ]),
    );

    expect(response.statusCode).toBe(400);
    expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
  });

  it('keeps a name with markup as plain text', async () => {
    const name = '<img src=x onerror=alert(1)>';

    const response = await upload(
      uploadForm([
        ['name', name],
        ['file', await makeJpeg(), 'a.jpg'],
      ]),
    );

    expect(response.json().name).toBe(name);
  });

  it('deletes the stored file when the database refuses the image', async () => {
    await database.db.schema
      .alterTable('images')
      .addCheckConstraint('refuse_all', sql`false`)
      .execute();
    try {
      const response = await upload(
        uploadForm([
          ['name', 'n'],
          ['file', await makeJpeg(), 'a.jpg'],
        ]),
      );

      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ message: 'internal server error' });
      expect(await nothingKept()).toEqual({ objects: 0, images: 0, outbox: 0, events: 0 });
    } finally {
      await database.db.schema.alterTable('images').dropConstraint('refuse_all').execute();
    }
  });

  it('closes the connection of a refused upload, so that the server can still shut down', async () => {
    const served = await buildTestApp(database, { maxUploadBytes: 64 * 1024 });
    await served.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = served.app.server.address() as AddressInfo;
    const servedCookie = await logInAsAdmin(served.app);
    const big = Buffer.concat([await makeJpeg(), Buffer.alloc(8 * 1024 * 1024)]);

    const response = await fetch(`http://127.0.0.1:${port}/api/images`, {
      method: 'POST',
      headers: { cookie: servedCookie },
      body: uploadForm([
        ['name', 'n'],
        ['file', big, 'big.jpg'],
      ]),
    });
    await response.body?.cancel();
    // Hangs (and times out) if the half-read upload keeps its connection open.
    await served.app.close();

    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
  });

  it('logs an upload its client aborts midway at info, not as a server fault, and keeps nothing', async () => {
    const { logger, lines } = createRecordingLogger();
    const memory = createMemoryObjectStore();
    let storing!: () => void;
    const stored = new Promise<void>((resolve) => (storing = resolve));
    const store: ObjectStore = {
      ...memory,
      put: (key, body, options) => {
        storing();
        return memory.put(key, body, options);
      },
    };
    const served = await buildTestApp(database, { store }, { logger });
    await served.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = served.app.server.address() as AddressInfo;
    const servedCookie = await logInAsAdmin(served.app);
    const socket = await startUpload(port, servedCookie, await makeJpeg());
    await stored;

    socket.destroy();
    const uploadId = () =>
      lines.find((line) => line.msg === 'incoming request' && line.req?.url === '/api/images')
        ?.reqId;
    const outcome = () =>
      lines.find((line) => line.reqId === uploadId() && line.msg !== 'incoming request');
    await until(() => outcome() !== undefined);
    await served.app.close();

    expect(outcome()).toEqual(
      expect.objectContaining({ level: 30, msg: 'request aborted by the client', status: 499 }),
    );
    expect(JSON.stringify(outcome())).not.toMatch(/\n\s+at /); // no stack trace
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(memory.objects.size).toBe(0);
    expect(await nothingKept()).toMatchObject({ images: 0, outbox: 0 });
  });
});
