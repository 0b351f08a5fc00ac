import { imageView, type ImageView } from '@gallery/message-schema';
import { CATALOG, perProcessor, PROCESSORS } from '@gallery/processors';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import {
  ADMIN_PASSWORD,
  login,
  makeJpeg,
  makePng,
  peoplePhotoPath,
  startTestGallery,
  until,
  upload,
} from './gallery';
import { openEventStream, type ServerSentEvent } from './sse';

const updatedWith =
  (id: string, done: (image: ImageView) => boolean) => (event: ServerSentEvent) => {
    if (event.event !== 'image.updated') return false;
    const image = imageView.parse(JSON.parse(event.data));
    return image.id === id && done(image);
  };
const thumbnailsDone = (image: ImageView) => image.status.thumbnail === 'done';
const tagsDone = (image: ImageView) => image.status.tags === 'done';
/** Every processor of the catalog done. */
const allDone = (image: ImageView) => PROCESSORS.every((name) => image.status[name] === 'done');

describe('the local pipeline, each app its own process', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let cookie: string;

  beforeAll(async () => {
    gallery = await startTestGallery();
    cookie = await login(gallery.baseUrl);
  });

  afterAll(async () => {
    await gallery?.stop();
  });

  async function getImage(id: string): Promise<ImageView> {
    const response = await fetch(`${gallery.baseUrl}/api/images/${id}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return imageView.parse(await response.json());
  }

  it.each([
    [
      'a 12-megapixel JPEG',
      () => makeJpeg(),
      'photo.jpg',
      'image/jpeg',
      { width: 4000, height: 3000 },
    ],
    [
      'a PNG with transparency',
      () => makePng(),
      'drawing.png',
      'image/png',
      { width: 640, height: 480 },
    ],
  ])(
    'turns %s into thumbnails and tags, pushed live and readable by id',
    async (_, make, filename, type, size) => {
      // prepare
      const stream = await openEventStream(gallery.baseUrl, cookie);
      const file = await make();
      try {
        // act
        const created = await upload(gallery.baseUrl, cookie, `My ${filename}`, file, filename);

        // assess
        expect(created.status).toBe(201);
        const id = created.body.id;
        expect(created.body).toMatchObject({
          name: `My ${filename}`,
          contentType: type,
          size: file.length,
        });
        await stream.waitFor(
          (event) => event.event === 'image.created' && JSON.parse(event.data).id === id,
        );
        const withThumbnails = imageView.parse(
          JSON.parse((await stream.waitFor(updatedWith(id, thumbnailsDone))).data),
        );
        const withTags = imageView.parse(
          JSON.parse((await stream.waitFor(updatedWith(id, tagsDone))).data),
        );

        expect(withThumbnails.thumbnails.map((t) => t.width).sort((a, b) => a - b)).toEqual([
          256,
          Math.min(1280, size.width),
        ]);
        expect(withThumbnails.placeholder).toEqual(expect.any(String));
        expect(withTags.status.tags).toBe('done');

        await stream.waitFor(updatedWith(id, allDone));
        const image = await getImage(id);
        expect(image).toMatchObject({ width: size.width, height: size.height });
        expect(image.status).toEqual(perProcessor(() => 'done'));
        expect(image.tags).toEqual(withTags.tags);

        const grid = image.thumbnails.find((t) => t.width === 256);
        const thumbnail = await fetch(`${gallery.baseUrl}${grid?.url}`, { headers: { cookie } });
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
        expect(thumbnail.headers.get('x-content-type-options')).toBe('nosniff');
        const decoded = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
        expect(decoded).toMatchObject({
          format: 'webp',
          width: 256,
          height: Math.round((256 * size.height) / size.width),
        });

        const original = await fetch(`${gallery.baseUrl}/api/images/${id}/original`, {
          headers: { cookie },
        });
        expect(original.headers.get('content-type')).toBe(type);
        expect(Buffer.from(await original.arrayBuffer()).equals(file)).toBe(true);
      } finally {
        stream.close();
      }
    },
  );

  it('tags a real photo of people with what it shows and its parent category', async () => {
    // prepare
    const stream = await openEventStream(gallery.baseUrl, cookie);
    try {
      // act
      const created = await upload(
        gallery.baseUrl,
        cookie,
        'Party',
        readFileSync(peoplePhotoPath()),
        'party.jpg',
      );
      const event = await stream.waitFor(updatedWith(created.body.id, tagsDone));

      // assess
      const tags = imageView.parse(JSON.parse(event.data)).tags;
      expect(tags).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'person', source: 'local-coco' }),
          expect.objectContaining({ name: 'people', source: 'local-coco' }),
        ]),
      );
      const filtered = await fetch(`${gallery.baseUrl}/api/images?tag=people`, {
        headers: { cookie },
      });
      expect((await filtered.json()).items.map((image: ImageView) => image.id)).toEqual([
        created.body.id,
      ]);
    } finally {
      stream.close();
    }
  });

  it('keeps a stopped worker’s work waiting in its queue and finishes it when the worker is back', async () => {
    // prepare
    await gallery.apps['thumbnail-worker'].stop('SIGTERM');
    const stream = await openEventStream(gallery.baseUrl, cookie);
    try {
      // act
      const created = await upload(
        gallery.baseUrl,
        cookie,
        'while stopped',
        await makePng(300, 200),
        'a.png',
      );
      const id = created.body.id;
      const othersDone = (image: ImageView) =>
        PROCESSORS.every((name) => name === 'thumbnail' || image.status[name] === 'done');
      await stream.waitFor(updatedWith(id, othersDone));
      const meanwhile = await getImage(id);
      gallery.apps['thumbnail-worker'] = gallery.launch('thumbnail-worker');

      // assess: only the thumbnail waited for its worker
      expect(meanwhile.status).toEqual(
        perProcessor((name) => (name === 'thumbnail' ? 'pending' : 'done')),
      );
      await stream.waitFor(updatedWith(id, thumbnailsDone));
      expect((await getImage(id)).thumbnails.map((t) => t.width).sort()).toEqual([256, 300]);
    } finally {
      stream.close();
    }
  });

  it('carries one upload’s image id and correlation id on its log lines in every process', async () => {
    // prepare
    const logLines = () =>
      gallery.logs.flatMap((entry): Record<string, unknown>[] => {
        const at = entry.indexOf(': ');
        try {
          const line = JSON.parse(entry.slice(at + 2)) as Record<string, unknown>;
          return [{ ...line, app: entry.slice(0, at) }];
        } catch {
          return []; // not a JSON log line
        }
      });
    const stepOf = (line: Record<string, unknown>) =>
      [line['app'], line['msg'], line['processor']].filter((part) => part !== undefined).join(' ');
    const expectedSteps = [
      'api image uploaded',
      'api event published',
      ...CATALOG.flatMap(({ name, project }) => [
        `api callback recorded ${name}`,
        `${project} record received`,
        `${project} record processed`,
      ]),
    ];

    // act: one upload, followed until every process has logged its part (or a minute passed)
    const created = await upload(
      gallery.baseUrl,
      cookie,
      'traced',
      await makePng(320, 240),
      't.png',
    );
    const trailOf = () => logLines().filter((line) => line['imageId'] === created.body.id);
    await until(() => {
      const steps = trailOf().map(stepOf);
      return expectedSteps.every((step) => steps.includes(step)) || undefined;
    }, 'every process to log the image').catch(() => undefined);
    const trail = trailOf();

    // assess: the upload's request id is the correlation id every line of the image carries
    expect(trail.map(stepOf)).toEqual(expect.arrayContaining(expectedSteps));
    const uploaded = trail.find((line) => stepOf(line) === 'api image uploaded');
    const correlationId = uploaded?.['correlationId'];
    expect(correlationId).toEqual(expect.any(String));
    expect(uploaded?.['reqId']).toBe(correlationId);
    expect(trail.filter((line) => line['correlationId'] !== correlationId)).toEqual([]);
  });

  it('writes no password, session token or callback secret in any log line', async () => {
    // prepare: what must never be logged, all of it used during this run
    const secretsDir = path.join(gallery.dataDir, 'secrets');
    const secrets = readdirSync(secretsDir).map((file) =>
      readFileSync(path.join(secretsDir, file), 'utf8').trim(),
    );
    const sessionToken = cookie.split('=')[1];
    const forbidden = [ADMIN_PASSWORD, sessionToken, ...secrets];

    // act
    const lines = gallery.logs;

    // assess: one secret per processor
    expect(secrets).toHaveLength(CATALOG.length);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((line) => line.includes('"url":"/api/auth/login"'))).toBe(true);
    for (const value of forbidden) {
      expect(lines.filter((line) => line.includes(value))).toEqual([]);
    }
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const apps = Object.values(gallery.apps);
    const exits = apps.map((app) => app.exited);
    await gallery.stop('SIGTERM');
    const codes = (await Promise.all(exits)) as [number | null, string | null][];
    expect(apps.map((app) => app.name).sort()).toEqual(
      ['api', ...CATALOG.map((entry) => entry.project)].sort(),
    );
    expect(codes.map(([code]) => code)).toEqual(apps.map(() => 0));
  });
});
