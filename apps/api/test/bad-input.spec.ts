import { createFsObjectStore, originalKey } from '@gallery/storage';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  baselineJpeg,
  heifHead,
  htmlPage,
  pixelFloodPng,
  png,
  zipArchive,
} from './support/image-bytes';
import { uploadForm } from './support/images';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const TRAILING = (bytes: number) =>
  `the file carries ${bytes} bytes after the end of its image: Gallery stores single images ` +
  'only, with nothing appended (not even the video of a motion photo)';

const SVG_WITH_SCRIPT = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
    '<script>fetch("/api/images",{method:"DELETE"})</script><rect width="10" height="10"/></svg>',
);

/** Every file below `dir`, as paths relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('POST /api/images with hostile or unusual input', () => {
  let database: TestDatabase;
  let dataDir: string;
  let test: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'gallery-bad-input-'));
    const store = createFsObjectStore({ root: join(dataDir, 'objects') });
    test = await buildTestApp(database, { store, maxUploadBytes: 1024 * 1024 });
    cookie = await logInAsAdmin(test.app);
  });
  beforeEach(async () => {
    await database.db.deleteFrom('images').execute();
    await database.db.deleteFrom('outbox').execute();
    await rm(join(dataDir, 'objects'), { recursive: true, force: true });
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (name: string, file: Buffer, filename = 'upload.jpg') =>
    test.app.inject({
      method: 'POST',
      url: '/api/images',
      headers: { cookie },
      payload: uploadForm([
        ['name', name],
        ['file', file, filename],
      ]),
    });

  const get = (url: string) => test.app.inject({ method: 'GET', url, headers: { cookie } });

  /** What the refused upload left: rows, listed images, outbox events and files on disk. */
  async function leftOver() {
    return {
      rows: (await database.db.selectFrom('images').selectAll().execute()).length,
      listed: (await get('/api/images')).json().items.length,
      outbox: (await database.db.selectFrom('outbox').selectAll().execute()).length,
      files: await filesBelow(dataDir),
    };
  }
  const NOTHING = { rows: 0, listed: 0, outbox: 0, files: [] };

  describe('refuses, keeping nothing', () => {
    it.each<[string, () => Promise<Buffer>, number, string | RegExp]>([
      [
        'a HEIC photo with 415, saying the decoder lacks HEIC and to export a JPEG',
        async () => heifHead('heic', 'mif1', 'heic'),
        415,
        "HEIC is not supported by this server's image decoder: export the photo as JPEG and " +
          'upload that',
      ],
      [
        'a pixel flood (a small PNG declaring 30000 × 30000) with 422, naming size and limit',
        () => pixelFloodPng(30_000, 30_000),
        422,
        'the PNG declares 30000 × 30000 pixels (900,000,000), more than the 100,000,000 this ' +
          'server decodes',
      ],
      [
        'a JPEG cut short with 422',
        async () => (await baselineJpeg()).subarray(0, 1500),
        422,
        'the JPEG is truncated: it ends before its end-of-image marker',
      ],
      [
        'a PNG cut short with 422',
        async () => (await png()).subarray(0, 3000),
        422,
        'the PNG is truncated: it ends before its IEND chunk',
      ],
      [
        'a JPEG with a ZIP archive appended with 422, counting the bytes after the image',
        async () => Buffer.concat([await baselineJpeg(), zipArchive]),
        422,
        TRAILING(zipArchive.length),
      ],
      [
        'a JPEG with an HTML page appended with 422, counting the bytes after the image',
        async () => Buffer.concat([await baselineJpeg(), htmlPage]),
        422,
        TRAILING(htmlPage.length),
      ],
      [
        'an SVG with a script in it with 415',
        async () => SVG_WITH_SCRIPT,
        415,
        'not an allowed image (JPEG, PNG, WebP, AVIF, GIF or TIFF)',
      ],
    ])('%s', async (_case, make, status, message) => {
      const file = await make();

      const response = await upload('hostile', file);

      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ message });
      expect(await leftOver()).toEqual(NOTHING);
    });

    it.each([
      ['over 200 characters', 'x'.repeat(201), 'name must be at most 200 characters'],
      ['over the form field size', 'x'.repeat(5000), 'name is too long'],
    ])('a name %s with 400', async (_case, name, message) => {
      const jpeg = await baselineJpeg();

      const response = await upload(name, jpeg);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message });
      expect(await leftOver()).toEqual(NOTHING);
    });
  });

  it('accepts a well-formed JPEG whose scan is damaged: decoding, in the workers, fails it', async () => {
    const jpeg = await baselineJpeg();
    let sos = 2;
    while (jpeg[sos + 1] !== 0xda) sos += 2 + jpeg.readUInt16BE(sos + 2);
    const scanStart = sos + 2 + jpeg.readUInt16BE(sos + 2);
    const quarter = Math.floor((jpeg.length - 2 - scanStart) / 4);
    const damaged = Buffer.from(jpeg).fill(0x55, scanStart + quarter, jpeg.length - 2 - quarter);

    const response = await upload('scrambled', damaged);

    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ contentType: 'image/jpeg', size: damaged.length });
  });

  describe('stores as plain text, under its own key only', () => {
    it.each([
      ['emoji', '🌅 Sunset 👨‍👩‍👧 at sea'],
      ['combining marks', 'Cafe\u0301 Zu\u0308rich n\u0303'],
      ['CJK', '東京の夜景 서울 北京'],
      ['Arabic with a right-to-left override', 'صورة \u202Egpj.exe'],
      ['Hebrew', 'תמונה של הים'],
      ['a relative path out of the store', '../../etc/passwd'],
      ['a Windows path out of the store', '..\\..\\boot.ini'],
      ['an absolute path', '/abs/path'],
      ['an HTML script', '<script>alert(document.cookie)</script>'],
    ])('a name with %s, returned as given', async (_case, name) => {
      const jpeg = await baselineJpeg();

      // The same name as the file part's filename: neither reaches a key or a path.
      const response = await upload(name, jpeg, name);

      expect(response.statusCode).toBe(201);
      const { id } = response.json();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await get(`/api/images/${id}`)).json().name).toBe(name);
      expect(
        (await get('/api/images')).json().items.map((image: { name: string }) => image.name),
      ).toEqual([name]);
      expect(await filesBelow(dataDir)).toEqual([
        `objects/.meta/${originalKey(id)}.json`,
        `objects/${originalKey(id)}`,
      ]);
      const original = await get(`/api/images/${id}/original`);
      expect(original.rawPayload.equals(jpeg)).toBe(true);
    });
  });
});
