import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { htmlPage, pixelFloodPng } from './support/image-bytes';
import { makeJpeg, uploadForm } from './support/images';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const MiB = 1024 * 1024;

/** Enough tries that an answer lost one time in a few is lost at least once. */
const TRIES = 25;

/** `size` bytes of an HTML page: markup throughout, whatever the file is named. */
function htmlOfSize(size: number): Buffer {
  return Buffer.alloc(size, htmlPage);
}

/** `file` followed by zeros up to `size` bytes. */
function padded(file: Buffer, size: number): Buffer {
  return Buffer.concat([file, Buffer.alloc(size - file.length)]);
}

/**
 * Uploads the server refuses by their first bytes, each with most of its body still to
 * come (the test app's upload limit is 1 MiB): the form, the status, the message.
 */
const REFUSALS: Array<[string, () => Promise<FormData>, number, string]> = [
  [
    'a 1 MB HTML page named .jpg with 415',
    async () =>
      uploadForm([
        ['name', 'n'],
        ['file', htmlOfSize(1_000_000), 'x.jpg'],
      ]),
    415,
    'not an allowed image (JPEG, PNG, WebP, AVIF, GIF or TIFF)',
  ],
  [
    'a JPEG two and a half times the upload limit with 413',
    async () =>
      uploadForm([
        ['name', 'n'],
        ['file', padded(await makeJpeg(), 2.5 * MiB), 'big.jpg'],
      ]),
    413,
    `the file is larger than ${MiB} bytes`,
  ],
  [
    'a 1 MB PNG whose header declares a pixel flood with 422',
    async () =>
      uploadForm([
        ['name', 'n'],
        ['file', padded(await pixelFloodPng(30_000, 30_000), 1_000_000), 'flood.jpg'],
      ]),
    422,
    'the PNG declares 30000 × 30000 pixels (900,000,000), more than the 100,000,000 this ' +
      'server decodes',
  ],
  [
    'a name over the form field size, before a 1 MB file, with 400',
    async () =>
      uploadForm([
        ['name', 'x'.repeat(5000)],
        ['file', padded(await makeJpeg(), 1_000_000), 'a.jpg'],
      ]),
    400,
    'name is too long',
  ],
  [
    'a second 1 MB file after the first with 400, deleting the first',
    async () =>
      uploadForm([
        ['name', 'n'],
        ['file', await makeJpeg(), 'a.jpg'],
        ['file', htmlOfSize(1_000_000), 'b.jpg'],
      ]),
    400,
    'send one file, in a field named "file", and a "name" field',
  ],
];

interface Answer {
  status?: number;
  message?: string;
  connection?: string | null;
  /** What the client saw instead of an answer. */
  failure?: string;
}

/** What `fetch` makes of the upload: the answer, or the error it got instead. */
async function fetchAnswer(url: string, init: RequestInit): Promise<Answer> {
  try {
    const response = await fetch(url, init);
    const { message } = (await response.json()) as { message: string };
    return { status: response.status, message, connection: response.headers.get('connection') };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return { failure: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** The form as a browser sends it: its content type (with the boundary) and its bytes. */
async function encodeForm(form: FormData): Promise<{ contentType: string; body: Buffer }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const contentType = request.headers.get('content-type') ?? '';
  return { contentType, body: Buffer.from(await request.arrayBuffer()) };
}

function uploadHead(cookie: string, contentType: string, contentLength: number): string {
  return [
    'POST /api/images HTTP/1.1',
    'host: 127.0.0.1',
    `cookie: ${cookie}`,
    `content-type: ${contentType}`,
    `content-length: ${contentLength}`,
    '',
    '',
  ].join('\r\n');
}

interface Exchange {
  status: number;
  connection: string | undefined;
  message: string;
  /** What the server read from the connection before it closed, request head included. */
  bytesRead: number;
}

/**
 * Runs `send` on a connection of its own to `server` and collects what comes back until both
 * ends have closed: the answer, and how much of the request the server read.
 */
async function exchange(server: Server, send: (socket: Socket) => unknown): Promise<Exchange> {
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined); // a reset ends the exchange like a close
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const serverSide = await accepted;
  const serverClosed = new Promise((resolve) => serverSide.once('close', resolve));
  await send(socket);
  await Promise.all([closed, serverClosed]);
  const [head, body = ''] = Buffer.concat(received).toString().split('\r\n\r\n');
  const [statusLine, ...headers] = head.split('\r\n');
  const connection = headers.find((line) => /^connection:/i.test(line));
  return {
    status: Number(statusLine.split(' ')[1]),
    connection: connection?.split(':')[1].trim(),
    message: body && (JSON.parse(body) as { message: string }).message,
    bytesRead: serverSide.bytesRead,
  };
}

/** Writes `chunk` over and over, as fast as the connection takes it, until it closes. */
async function sendEndlessly(socket: Socket, chunk: Buffer): Promise<void> {
  while (socket.writable) {
    if (!socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        const resume = () => {
          socket.off('drain', resume).off('close', resume);
          resolve();
        };
        socket.on('drain', resume).on('close', resume);
      });
    }
  }
}

describe('an upload refused before its body is read, over a real connection', () => {
  let database: TestDatabase;
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, { maxUploadBytes: MiB });
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await database.db.deleteFrom('images').execute();
    await database.db.deleteFrom('outbox').execute();
    test.store.objects.clear();
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  async function kept() {
    return {
      objects: test.store.objects.size,
      images: (await database.db.selectFrom('images').selectAll().execute()).length,
      outbox: (await database.db.selectFrom('outbox').selectAll().execute()).length,
    };
  }

  it.each(REFUSALS)(
    'answers %s to every fetch that is still sending, and keeps nothing',
    async (_case, form, status, message) => {
      const body = await form();
      const { port } = test.app.server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/api/images`;

      const answers: Answer[] = [];
      for (let n = 0; n < TRIES; n += 1) {
        answers.push(await fetchAnswer(url, { method: 'POST', headers: { cookie }, body }));
      }

      const answer = { status, message, connection: 'close' };
      expect(answers).toEqual(Array.from({ length: TRIES }, () => answer));
      expect(await kept()).toEqual({ objects: 0, images: 0, outbox: 0 });
    },
  );

  it.each(REFUSALS)(
    'reads the rest of the body after answering %s, and only then closes',
    async (_case, form, status, message) => {
      const { contentType, body } = await encodeForm(await form());
      const head = uploadHead(cookie, contentType, body.length);

      const result = await exchange(test.app.server, (socket) => {
        socket.write(head);
        socket.write(body);
      });

      // Nothing left unread: the close cannot turn into a reset that loses the answer.
      const bytesSent = Buffer.byteLength(head) + body.length;
      expect(result).toEqual({ status, message, connection: 'close', bytesRead: bytesSent });
      expect(await kept()).toEqual({ objects: 0, images: 0, outbox: 0 });
    },
  );

  it('stops reading a refused body past twice the upload limit, and closes its connection', async () => {
    const boundary = 'endless-upload';
    const formStart = Buffer.from(
      [
        `--${boundary}`,
        'content-disposition: form-data; name="name"',
        '',
        'n',
        `--${boundary}`,
        'content-disposition: form-data; name="file"; filename="x.jpg"',
        'content-type: image/jpeg',
        '',
        '',
      ].join('\r\n'),
    );
    const contentType = `multipart/form-data; boundary=${boundary}`;

    const result = await exchange(test.app.server, async (socket) => {
      socket.write(uploadHead(cookie, contentType, 1024 * MiB));
      socket.write(formStart);
      await sendEndlessly(socket, htmlOfSize(64 * 1024));
    });

    expect(result).toMatchObject({
      status: 415,
      message: 'not an allowed image (JPEG, PNG, WebP, AVIF, GIF or TIFF)',
      connection: 'close',
    });
    // Read up to the bound, twice the limit, then hardly more: far from the 1 GiB announced.
    expect(result.bytesRead).toBeGreaterThan(2 * MiB);
    expect(result.bytesRead).toBeLessThan(3 * MiB);
    expect(await kept()).toEqual({ objects: 0, images: 0, outbox: 0 });
  });
});
