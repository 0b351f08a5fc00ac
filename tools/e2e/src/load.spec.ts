import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFileQueue } from '@gallery/messaging';
import { imagePage, imageView, type ImageView } from '@gallery/message-schema';
import { CATALOG, PROCESSORS } from '@gallery/processors';
import sharp from 'sharp';
import { z } from 'zod';
import { login, startTestGallery, until, upload } from './gallery';
import { openEventStream } from './sse';

/** 1,000 images with 200 uploads at once by default; fewer (LOAD_IMAGES=100) while developing. */
const settings = z
  .object({
    LOAD_IMAGES: z.coerce.number().int().min(1).default(1000),
    LOAD_CONCURRENCY: z.coerce.number().int().min(1).default(200),
  })
  .parse(process.env);
const IMAGES = settings.LOAD_IMAGES;
const CONCURRENCY = Math.min(settings.LOAD_CONCURRENCY, IMAGES);

/** Where the figures are kept for the report, next to the other build outputs. */
const RESULT_FILE = path.resolve(__dirname, '../../../dist/load/load.json');

/** 1,000 images took about 4.5 minutes on 2 shared cores; the margin is for a busier machine. */
const LOAD_TIMEOUT_MS = 20 * 60_000;

/** A distinct 640×480 photo-like JPEG: random pixels, softened so it compresses like a photo. */
function makeDistinctJpeg(): Promise<Buffer> {
  const [width, height] = [640, 480];
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Runs `work` on every index with at most `limit` calls in flight. */
async function inPool(count: number, limit: number, work: (index: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/** Every processor of the catalog done. */
const allDone = (image: ImageView) => PROCESSORS.every((name) => image.status[name] === 'done');

describe(`the local pipeline under load (${IMAGES} images, ${CONCURRENCY} uploads at once)`, () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let cookie: string;

  beforeAll(async () => {
    gallery = await startTestGallery();
    cookie = await login(gallery.baseUrl);
  });

  afterAll(async () => {
    await gallery?.stop();
  });

  async function listAll(): Promise<ImageView[]> {
    const images: ImageView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const response = await fetch(`${gallery.baseUrl}/api/images?${query}`, {
        headers: { cookie },
      });
      if (response.status !== 200) throw new Error(`listing answered ${response.status}`);
      const page = imagePage.parse(await response.json());
      images.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return images;
  }

  it(
    'takes every upload and finishes every image for every processor, losing none',
    async () => {
      // prepare: distinct images, made before the clock starts; an event stream for the
      // moment each image is finished
      const files = await Promise.all(Array.from({ length: IMAGES }, makeDistinctJpeg));
      const stream = await openEventStream(gallery.baseUrl, cookie);
      const finishedAt = new Map<string, number>();
      const watch = setInterval(() => {
        for (const event of stream.events.splice(0)) {
          if (event.event !== 'image.updated') continue;
          const image = imageView.parse(JSON.parse(event.data));
          if (allDone(image) && !finishedAt.has(image.id)) finishedAt.set(image.id, Date.now());
        }
      }, 50);
      const statuses: number[] = [];
      const ids: string[] = [];

      try {
        // act: the uploads, at most CONCURRENCY in flight, the first CONCURRENCY at once
        const started = Date.now();
        await inPool(IMAGES, CONCURRENCY, async (index) => {
          const created = await upload(
            gallery.baseUrl,
            cookie,
            `load ${index}`,
            files[index],
            `load-${index}.jpg`,
          );
          statuses.push(created.status);
          if (created.status === 201) ids.push(created.body.id);
        });
        const uploaded = Date.now();

        // ... then wait until the listing shows every image finished
        const deadline = uploaded + LOAD_TIMEOUT_MS;
        let images = await listAll();
        while (!(images.length === IMAGES && images.every(allDone)) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          images = await listAll();
        }
        const listedDone = Date.now();
        clearInterval(watch);
        // The moment the last image was announced finished, or the listing's if one was missed.
        const finished = finishedAt.size === IMAGES ? Math.max(...finishedAt.values()) : listedDone;

        const figures = {
          images: IMAGES,
          concurrency: CONCURRENCY,
          uploads: {
            wallMs: uploaded - started,
            perSecond: round((IMAGES * 1000) / (uploaded - started)),
          },
          pipeline: {
            ms: finished - started,
            perSecond: round((IMAGES * 1000) / (finished - started)),
          },
        };
        process.stdout.write(`${JSON.stringify(figures)}\n`);
        mkdirSync(path.dirname(RESULT_FILE), { recursive: true });
        writeFileSync(RESULT_FILE, `${JSON.stringify(figures, null, 2)}\n`);

        // assess: every upload accepted, every image listed once and finished for every processor
        expect(statuses.filter((status) => status !== 201)).toEqual([]);
        expect(new Set(ids).size).toBe(IMAGES);
        expect(images.map((image) => image.id).sort()).toEqual([...ids].sort());
        expect(
          images.filter((image) => !allDone(image)).map(({ id, status }) => ({ id, status })),
        ).toEqual([]);
        for (const image of images) expect(image.thumbnails.length).toBeGreaterThan(0);
        // the queues empty (a worker deletes its message just after its callback), nothing
        // dead-lettered
        for (const { queue: name } of CATALOG) {
          const queue = createFileQueue({ dir: path.join(gallery.dataDir, 'queues', name) });
          const drained = async () => {
            const counts = await queue.counts();
            return counts.ready + counts.leased === 0 ? counts : undefined;
          };
          const counts = await until(drained, `the ${name} queue to drain`, 30_000).catch(() =>
            queue.counts(),
          );
          expect({ name, ...counts }).toEqual({ name, ready: 0, leased: 0, dead: 0 });
        }
      } finally {
        clearInterval(watch);
        stream.close();
      }
    },
    LOAD_TIMEOUT_MS + 5 * 60_000,
  );
});

const round = (value: number) => Math.round(value * 10) / 10;
