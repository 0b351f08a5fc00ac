import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFileQueue, type FileQueue } from '@gallery/messaging';
import { imageView, type ImageView } from '@gallery/message-schema';
import {
  login,
  makeCorruptJpeg,
  makeJpeg,
  makePng,
  peoplePhotoPath,
  startTestGallery,
  until,
  untilProcessed,
  upload,
} from './gallery';
import { openEventStream } from './sse';

/** Faults injected into the real local processes: file queues, PGlite, real HTTP. */
describe('the local pipeline under faults', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let cookie: string;
  const queues: Record<'thumbnails' | 'tags', FileQueue> = {} as never;

  beforeAll(async () => {
    // Short leases, so that a message held by a killed worker comes back within the test.
    gallery = await startTestGallery({ VISIBILITY_TIMEOUT_SECONDS: '2' });
    cookie = await login(gallery.baseUrl);
    for (const name of ['thumbnails', 'tags'] as const) {
      queues[name] = createFileQueue({ dir: path.join(gallery.dataDir, 'queues', name) });
    }
  });

  afterAll(async () => {
    await gallery?.stop();
  });

  const getImage = async (id: string): Promise<ImageView> => {
    const response = await fetch(`${gallery.baseUrl}/api/images/${id}`, { headers: { cookie } });
    return imageView.parse(await response.json());
  };

  const processed = (id: string) => untilProcessed(getImage, id);

  const drained = () =>
    until(async () => {
      const counts = await Promise.all(Object.values(queues).map((queue) => queue.counts()));
      return counts.every((c) => c.ready === 0 && c.leased === 0) ? true : undefined;
    }, 'the queues to drain');

  it('dead-letters poison messages with their reason while their siblings succeed', async () => {
    // prepare
    const poison = {
      'not JSON': 'this is not json',
      'wrong schema': JSON.stringify({ type: 'image.uploaded', version: 1, imageId: 'x' }),
      'unknown version': JSON.stringify({
        type: 'image.uploaded',
        version: 2,
        imageId: randomUUID(),
      }),
    };

    // act
    for (const queue of Object.values(queues)) {
      for (const body of Object.values(poison)) await queue.send(body);
    }
    const sibling = await upload(
      gallery.baseUrl,
      cookie,
      'sibling',
      await makePng(320, 240),
      's.png',
    );
    const image = await processed(sibling.body.id);
    await drained();

    // assess
    expect(image.status).toEqual({ thumbnail: 'done', tags: 'done' });
    for (const queue of Object.values(queues)) {
      const dead = await queue.listDeadLetters();
      const reasonOf = (body: string) => dead.find((letter) => letter.body === body)?.reason;
      expect(reasonOf(poison['not JSON'])).toMatch(/not JSON/);
      expect(reasonOf(poison['wrong schema'])).toMatch(/invalid image\.uploaded v1/);
      expect(reasonOf(poison['unknown version'])).toMatch(/unknown image\.uploaded version 2/);
      for (const letter of dead) expect(letter.receiveCount).toBeLessThanOrEqual(5);
    }
  });

  const deadLettersOf = async (queue: FileQueue, id: string) =>
    (await queue.listDeadLetters()).filter((letter) => letter.body.includes(id));
  const thumbnailFiles = (id: string) =>
    readdirSync(path.join(gallery.dataDir, 'objects', 'thumbnails', id)).sort();

  it('fails only the tags of an image under 80 px a side, while its one thumbnail is made', async () => {
    // prepare
    const tiny = await makePng(40, 40);

    // act
    const created = await upload(gallery.baseUrl, cookie, 'tiny', tiny, 'tiny.png');
    const image = await processed(created.body.id);
    await drained();

    // assess: the thumbnail at its own size, never enlarged; the tags refused with the reason,
    // dead-lettered once on the tags queue only
    const reason = /image is 40×40 px; labels need at least 80 px a side/;
    expect(image.status).toEqual({ thumbnail: 'done', tags: 'failed' });
    expect(image.errors.tags).toMatch(reason);
    expect(image.errors.thumbnail).toBeUndefined();
    expect(image.thumbnails).toEqual([
      expect.objectContaining({ width: 40, height: 40, format: 'webp' }),
    ]);
    expect(thumbnailFiles(created.body.id)).toEqual(['40.webp']);
    const tagsDead = await deadLettersOf(queues.tags, created.body.id);
    expect(tagsDead).toHaveLength(1);
    expect(tagsDead[0]).toMatchObject({ receiveCount: 1, reason: expect.stringMatching(reason) });
    expect(await deadLettersOf(queues.thumbnails, created.body.id)).toEqual([]);
  });

  it('fails both processors of a JPEG with garbage scan data, at its first receive, while the image beside it succeeds', async () => {
    // prepare
    const [corrupt, sound] = await Promise.all([makeCorruptJpeg(), makeJpeg(640, 480)]);

    // act
    const [broken, beside] = await Promise.all([
      upload(gallery.baseUrl, cookie, 'scrambled', corrupt, 'scrambled.jpg'),
      upload(gallery.baseUrl, cookie, 'beside', sound, 'beside.jpg'),
    ]);
    const [failed, succeeded] = await Promise.all([
      processed(broken.body.id),
      processed(beside.body.id),
    ]);
    await drained();

    // assess: the decoder's reason on the image and on one dead letter per queue (libvips
    // names the warning only the first time in a process)
    const decoderReason =
      /image could not be decoded: (VipsJpeg: Corrupt JPEG data|the image data is corrupt or incomplete)/;
    expect(broken.status).toBe(201);
    expect(failed.status).toEqual({ thumbnail: 'failed', tags: 'failed' });
    expect(failed.errors.thumbnail).toMatch(decoderReason);
    expect(failed.errors.tags).toMatch(decoderReason);
    expect(failed.thumbnails).toEqual([]);
    expect(succeeded.status).toEqual({ thumbnail: 'done', tags: 'done' });
    for (const queue of Object.values(queues)) {
      const dead = await deadLettersOf(queue, broken.body.id);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        receiveCount: 1,
        reason: expect.stringMatching(decoderReason),
      });
      expect(await deadLettersOf(queue, beside.body.id)).toEqual([]);
    }
  });

  it('gives one result, with no new event, when the same event is delivered again', async () => {
    // prepare: an image processed once, and its event as the queues delivered it
    const created = await upload(
      gallery.baseUrl,
      cookie,
      'twice',
      await makePng(300, 200),
      't.png',
    );
    const before = await processed(created.body.id);
    const stream = await openEventStream(gallery.baseUrl, cookie);
    const event = {
      type: 'image.uploaded',
      version: 1,
      eventId: randomUUID(),
      imageId: created.body.id,
      bucket: 'local',
      key: `originals/${created.body.id}`,
      contentType: 'image/png',
      size: created.body['size'],
      uploadedAt: new Date().toISOString(),
      correlationId: 'redelivery',
    };

    // act: the same event, twice on each queue, processed concurrently
    for (const queue of Object.values(queues)) {
      await Promise.all([queue.send(JSON.stringify(event)), queue.send(JSON.stringify(event))]);
    }
    await drained();
    await new Promise((resolve) => setTimeout(resolve, 500));

    // assess
    const after = await getImage(created.body.id);
    expect(after.thumbnails).toEqual(before.thumbnails);
    expect(after.tags).toEqual(before.tags);
    expect(stream.events.filter((e) => e.event === 'image.updated')).toEqual([]);
    stream.close();
  });

  it('makes one set of thumbnails and of tags, announced once each, when two processes of each worker race on copies of one event', async () => {
    // prepare: the workers stopped, an upload's event taken out of each queue and held
    const workers = ['thumbnail-worker', 'tags-worker'] as const;
    await drained();
    await Promise.all(workers.map((name) => gallery.apps[name].stop('SIGTERM')));
    const stream = await openEventStream(gallery.baseUrl, cookie);
    const created = await upload(
      gallery.baseUrl,
      cookie,
      'contended',
      readFileSync(peoplePhotoPath()),
      'party.jpg',
    );
    const id = created.body.id;
    const held = await Promise.all(
      Object.values(queues).map(async (queue) => {
        const taken = await until(async () => {
          const messages = await queue.receive(10);
          return messages.length > 0 ? messages : undefined;
        }, `the event on ${queue.name}`);
        expect(taken.map((message) => JSON.parse(message.body).imageId)).toEqual([id]);
        return { queue, message: taken[0] };
      }),
    );
    // Two processes of each worker, each logging under its own label; default leases, so a
    // slow batch is not handed to the other process on top of the copies.
    const lines: { label: string; line: Record<string, unknown> }[] = [];
    const processes = workers.flatMap((name) =>
      [1, 2].map((n) => {
        const label = `${name}#${n}`;
        const app = gallery.launch(name, {}, (line) => {
          try {
            lines.push({ label, line: JSON.parse(line) });
          } catch {
            // not a log line
          }
        });
        return { label, app };
      }),
    );
    const loggedBy = (label: string, message: RegExp, imageId?: string) =>
      lines.filter(
        (entry) =>
          entry.label === label &&
          message.test(String(entry.line['msg'])) &&
          (imageId === undefined || entry.line['imageId'] === imageId),
      );

    try {
      await until(
        async () =>
          processes.every(({ label }) => loggedBy(label, /worker started$/).length > 0) ||
          undefined,
        'four workers to be polling',
      );

      // act: the event three batches' worth of times on each queue, all visible at once
      const COPIES = 12;
      for (const { queue, message } of held) {
        await Promise.all(
          Array.from({ length: COPIES - 1 }, () => queue.send(message.body, message.attributes)),
        );
        await queue.release(message.receiptHandle);
      }
      const image = await processed(id);
      await drained();
      // Time for any late, duplicate announcement to arrive; the assertion counts them.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      // assess: every process did some of the work
      for (const { label } of processes) {
        expect(loggedBy(label, /^record received$/, id).length).toBeGreaterThan(0);
      }
      // one set of thumbnails, tags each once, no dead letter
      expect(image.status).toEqual({ thumbnail: 'done', tags: 'done' });
      expect(image.thumbnails.map((t) => t.width).sort((a, b) => a - b)).toEqual([256, 1280]);
      expect(thumbnailFiles(id)).toEqual(['1280.webp', '256.webp']);
      const names = image.tags.map((tag) => tag.name);
      expect(names).toContain('person');
      expect(new Set(names).size).toBe(names.length);
      for (const queue of Object.values(queues)) expect(await deadLettersOf(queue, id)).toEqual([]);
      // one image.updated per real change: the thumbnails, then the tags, or the other way
      const updates = stream.events
        .filter((event) => event.event === 'image.updated')
        .map((event) => imageView.parse(JSON.parse(event.data)))
        .filter((update) => update.id === id);
      expect(updates).toHaveLength(2);
      expect(updates.map((update) => update.status)).toContainEqual({
        thumbnail: 'done',
        tags: 'done',
      });
      expect(updates[1]).toEqual(await getImage(id));
    } finally {
      // Back to one process of each, as the gallery started them.
      stream.close();
      await Promise.all(processes.map(({ app }) => app.stop('SIGTERM')));
      for (const name of workers) {
        gallery.apps[name] = gallery.launch(name);
      }
    }
  });

  it('finishes every image of a batch whose worker was killed with SIGKILL in the middle', async () => {
    // prepare: work waiting for a stopped thumbnail worker
    await gallery.apps['thumbnail-worker'].stop('SIGTERM');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await upload(
        gallery.baseUrl,
        cookie,
        `batch ${i}`,
        await makePng(2000 + i, 1500),
        'b.png',
      );
      ids.push(created.body.id);
    }

    // act: start it, kill it as soon as it holds leases, start it again
    const restart = () => gallery.launch('thumbnail-worker');
    gallery.apps['thumbnail-worker'] = restart();
    await until(
      async () => ((await queues.thumbnails.counts()).leased > 0 ? true : undefined),
      'a lease',
    );
    await gallery.apps['thumbnail-worker'].stop('SIGKILL');
    gallery.apps['thumbnail-worker'] = restart();

    // assess
    const images = await Promise.all(ids.map(processed));
    expect(images.map((image) => image.status.thumbnail)).toEqual(ids.map(() => 'done'));
    for (const image of images) expect(image.thumbnails).toHaveLength(2);
    await drained();
    expect(
      (await queues.thumbnails.listDeadLetters()).filter((d) =>
        ids.some((id) => d.body.includes(id)),
      ),
    ).toEqual([]);
  });

  it('converges once the API is back when workers could not call back, losing nothing', async () => {
    // prepare: work queued while both workers are stopped, then the API goes away
    const workers = ['thumbnail-worker', 'tags-worker'] as const;
    await Promise.all(workers.map((name) => gallery.apps[name].stop('SIGTERM')));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await upload(gallery.baseUrl, cookie, `offline ${i}`, await makePng(300, 300), 'o.png'))
          .body.id,
      );
    }
    await until(
      async () => ((await queues.tags.counts()).ready >= 3 ? true : undefined),
      'the events',
    );
    await gallery.apps.api.stop('SIGTERM');

    // act: the workers run against no API for a while, then it comes back
    for (const name of workers) {
      gallery.apps[name] = gallery.launch(name);
    }
    await until(
      async () => (gallery.logs.some((line) => /will be retried/.test(line)) ? true : undefined),
      'a failed callback',
    );
    await gallery.restartApi();

    // assess
    const images = await Promise.all(ids.map(processed));
    expect(images.map((image) => image.status)).toEqual(
      ids.map(() => ({ thumbnail: 'done', tags: 'done' })),
    );
    await drained();
    for (const queue of Object.values(queues)) {
      const dead = await queue.listDeadLetters();
      expect(dead.filter((letter) => ids.some((id) => letter.body.includes(id)))).toEqual([]);
    }
  });

  it('accepts uploads while the publisher fails and delivers their events once it recovers', async () => {
    // prepare: the tags queue's directory replaced by a file, so publishing to it fails
    const tagsDir = path.join(gallery.dataDir, 'queues', 'tags');
    const aside = `${tagsDir}.aside`;
    mkdirSync(tagsDir, { recursive: true });
    renameSync(tagsDir, aside);
    writeFileSync(tagsDir, 'not a directory');

    // act
    const created = await upload(
      gallery.baseUrl,
      cookie,
      'outbox',
      await makePng(240, 240),
      'x.png',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const meanwhile = await getImage(created.body.id);
    rmSync(tagsDir);
    renameSync(aside, tagsDir);

    // assess: the upload succeeded at once; tags waited for the recovery; the thumbnails
    // queue, which took the first attempt, got the event again without a second result
    expect(created.status).toBe(201);
    expect(meanwhile.status.tags).toBe('pending');
    const image = await processed(created.body.id);
    expect(image.status).toEqual({ thumbnail: 'done', tags: 'done' });
    expect(image.thumbnails).toHaveLength(1);
  });

  it('keeps every acknowledged upload, status and tag when the API is killed with SIGKILL', async () => {
    // prepare
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await upload(gallery.baseUrl, cookie, `kept ${i}`, await makePng(200, 200), 'k.png')).body
          .id,
      );
    }
    const before = await Promise.all(ids.map(processed));
    const tagged = await fetch(`${gallery.baseUrl}/api/images/${ids[0]}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['kept'] }),
    });
    expect(tagged.status).toBe(200);

    // act
    await gallery.apps.api.stop('SIGKILL');
    await gallery.restartApi();

    // assess: the session, the images, their statuses and tags survived
    const after = await Promise.all(ids.map(getImage));
    expect(after.map((image) => image.status)).toEqual(before.map((image) => image.status));
    expect(after.slice(1).map((image) => image.thumbnails)).toEqual(
      before.slice(1).map((image) => image.thumbnails),
    );
    expect(after[0].tags).toEqual([{ name: 'kept', confidence: null, source: 'manual' }]);
  });
});
