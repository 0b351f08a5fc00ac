import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createFileQueue, type FileQueue } from '@gallery/messaging';
import { imageView, type ImageView } from '@gallery/message-schema';
import { CATALOG, perProcessor, PROCESSORS } from '@gallery/processors';
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

/** Every processor done: what each image a test means to succeed ends with. */
const ALL_DONE = perProcessor(() => 'done');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A stand-in for the API that takes callbacks and never answers them: a worker pointed at it
 * stays in the middle of its batch, its records worked but not reported, its leases held.
 */
async function openCallbackSink() {
  const received: string[] = [];
  const server = createServer((request) => {
    received.push(request.url ?? '');
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** The path of every callback that came, in order. */
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Faults injected into the real local processes: file queues, PGlite, real HTTP. The faults
 * that any processor may meet (poison messages, redelivery, racing processes, a worker killed
 * mid-batch, a stopped worker) are run for every processor of the catalog.
 */
describe('the local pipeline under faults', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let cookie: string;
  /** Each processor's queue, by queue name. */
  const queues: Record<string, FileQueue> = {};

  beforeAll(async () => {
    // Short leases, so that a message held by a killed worker comes back within the test.
    gallery = await startTestGallery({ VISIBILITY_TIMEOUT_SECONDS: '2' });
    cookie = await login(gallery.baseUrl);
    for (const { queue } of CATALOG) {
      queues[queue] = createFileQueue({ dir: path.join(gallery.dataDir, 'queues', queue) });
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

  /** An app's JSON log lines so far. */
  const logLinesOf = (app: string): Record<string, unknown>[] =>
    gallery.logs.flatMap((entry) => {
      if (!entry.startsWith(`${app}: `)) return [];
      try {
        return [JSON.parse(entry.slice(app.length + 2)) as Record<string, unknown>];
      } catch {
        return []; // not a JSON log line
      }
    });

  const deadLettersOf = async (queue: FileQueue, id: string) =>
    (await queue.listDeadLetters()).filter((letter) => letter.body.includes(id));

  it.each(CATALOG)(
    '$name: dead-letters poison messages at their first receive, with their reason, while the image beside them succeeds',
    async (entry) => {
      // prepare: bodies no worker can decode, each with an id of this test's own, so that its
      // dead letters are told apart from those the other processors' runs left
      const queue = queues[entry.queue];
      const nonce = randomUUID();
      const poison = {
        'not JSON': `this is not json ${nonce}`,
        'wrong schema': JSON.stringify({ type: 'image.uploaded', version: 1, imageId: nonce }),
        'unknown version': JSON.stringify({ type: 'image.uploaded', version: 2, imageId: nonce }),
      };

      // act
      for (const body of Object.values(poison)) await queue.send(body);
      const sibling = await upload(
        gallery.baseUrl,
        cookie,
        'sibling',
        await makePng(320, 240),
        's.png',
      );
      const image = await processed(sibling.body.id);
      await drained();

      // assess: the image beside the poison finished by every processor, dead-lettered nowhere
      expect(image.status).toEqual(ALL_DONE);
      for (const other of Object.values(queues)) {
        expect(await deadLettersOf(other, sibling.body.id)).toEqual([]);
      }
      // each poison message in this processor's dead letters once, at its first receive
      const dead = await deadLettersOf(queue, nonce);
      const lettersOf = (body: string) =>
        dead
          .filter((letter) => letter.body === body)
          .map(({ queue: name, receiveCount, reason }) => ({ name, receiveCount, reason }));
      const letter = (reason: RegExp) => [
        { name: entry.queue, receiveCount: 1, reason: expect.stringMatching(reason) },
      ];
      expect(lettersOf(poison['not JSON'])).toEqual(letter(/not JSON/));
      expect(lettersOf(poison['wrong schema'])).toEqual(letter(/invalid image\.uploaded v1/));
      expect(lettersOf(poison['unknown version'])).toEqual(
        letter(/unknown image\.uploaded version 2/),
      );
      expect(dead).toHaveLength(3);
    },
  );

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
    expect(image.status).toMatchObject({ thumbnail: 'done', tags: 'failed' });
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

  it('fails the thumbnail and the tags of a JPEG with garbage scan data, at its first receive, while the image beside it succeeds', async () => {
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

    // assess: the decoder's reason on the image and on one dead letter per queue of the two
    // (libvips names the warning only the first time in a process)
    const decoderReason =
      /image could not be decoded: (VipsJpeg: Corrupt JPEG data|the image data is corrupt or incomplete)/;
    expect(broken.status).toBe(201);
    expect(failed.status).toMatchObject({ thumbnail: 'failed', tags: 'failed' });
    expect(failed.errors.thumbnail).toMatch(decoderReason);
    expect(failed.errors.tags).toMatch(decoderReason);
    expect(failed.thumbnails).toEqual([]);
    expect(succeeded.status).toEqual(ALL_DONE);
    for (const queue of [queues.thumbnails, queues.tags]) {
      const dead = await deadLettersOf(queue, broken.body.id);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        receiveCount: 1,
        reason: expect.stringMatching(decoderReason),
      });
    }
    for (const queue of Object.values(queues)) {
      expect(await deadLettersOf(queue, beside.body.id)).toEqual([]);
    }
  });

  it.each(CATALOG)(
    '$name: gives one result, with no new event, when the same event is delivered again',
    async (entry) => {
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
      const correlationId = `redelivery-${entry.name}-${randomUUID()}`;
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
        correlationId,
      };

      try {
        // act: the same event, twice on the processor's queue, processed concurrently
        const queue = queues[entry.queue];
        await Promise.all([queue.send(JSON.stringify(event)), queue.send(JSON.stringify(event))]);
        await drained();
        // Both copies were worked and reported: the API logs each report it takes.
        const reports = await until(() => {
          const lines = logLinesOf('api').filter(
            (line) =>
              line['msg'] === 'callback recorded' && line['correlationId'] === correlationId,
          );
          return lines.length >= 2 ? lines : undefined;
        }, 'both reports of the redelivered event');
        // Time for any announcement of a change to arrive; the assertion counts them.
        await pause(500);

        // assess: both reports changed nothing, and nothing was announced
        expect(
          reports.map(({ processor, imageId, outcome }) => ({ processor, imageId, outcome })),
        ).toEqual(
          [1, 2].map(() => ({
            processor: entry.name,
            imageId: created.body.id,
            outcome: 'unchanged',
          })),
        );
        expect(await getImage(created.body.id)).toEqual(before);
        expect(stream.events.filter((e) => e.event === 'image.updated')).toEqual([]);
      } finally {
        stream.close();
      }
    },
  );

  it('makes one result per processor, announced once each, when two processes of every worker race on copies of one event', async () => {
    // prepare: the workers stopped, an upload's event taken out of each queue and held
    const workers = CATALOG.map((entry) => entry.project);
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
    // Two processes of each worker, each logging under its own label; default leases (not
    // the suite's short ones), so a slow batch is not handed to the other process on top of
    // the copies.
    const lines: { label: string; line: Record<string, unknown> }[] = [];
    const processes = workers.flatMap((name) =>
      [1, 2].map((n) => {
        const label = `${name}#${n}`;
        const app = gallery.launch(name, { VISIBILITY_TIMEOUT_SECONDS: undefined }, (line) => {
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
        `${processes.length} workers to be polling`,
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
      await pause(2000);

      // assess: every process did some of the work
      const idle = processes.filter(
        ({ label }) => loggedBy(label, /^record received$/, id).length === 0,
      );
      expect(idle.map(({ label }) => label)).toEqual([]);
      // every processor done, one set of thumbnails, tags each once, no dead letter
      expect(image.status).toEqual(ALL_DONE);
      expect(image.thumbnails.map((t) => t.width).sort((a, b) => a - b)).toEqual([256, 1280]);
      expect(thumbnailFiles(id)).toEqual(['1280.webp', '256.webp']);
      const names = image.tags.map((tag) => tag.name);
      expect(names).toContain('person');
      expect(new Set(names).size).toBe(names.length);
      for (const queue of Object.values(queues)) expect(await deadLettersOf(queue, id)).toEqual([]);
      // one image.updated per real change: each announces one processor more done than the
      // one before, in whichever order they finished, and the last is the image as it is
      const updates = stream.events
        .filter((event) => event.event === 'image.updated')
        .map((event) => imageView.parse(JSON.parse(event.data)))
        .filter((update) => update.id === id);
      const doneIn = updates.map((update) =>
        PROCESSORS.filter((name) => update.status[name] === 'done'),
      );
      const newlyDone = doneIn.flatMap((done, index) =>
        done.filter((name) => !(doneIn[index - 1] ?? []).includes(name)),
      );
      expect(doneIn.map((done) => done.length)).toEqual(CATALOG.map((_, index) => index + 1));
      expect(newlyDone.sort()).toEqual([...PROCESSORS].sort());
      expect(updates[updates.length - 1]).toEqual(await getImage(id));
    } finally {
      // Back to one process of each, as the gallery started them.
      stream.close();
      await Promise.all(processes.map(({ app }) => app.stop('SIGTERM')));
      for (const name of workers) {
        gallery.apps[name] = gallery.launch(name);
      }
    }
  });

  it.each(CATALOG)(
    '$name: keeps the work of its stopped worker queued, and finishes every image of a batch whose worker was killed with SIGKILL in the middle',
    async (entry) => {
      // prepare: work waiting for the processor's stopped worker while the others finish it
      const queue = queues[entry.queue];
      const worker = entry.project;
      await drained();
      await gallery.apps[worker].stop('SIGTERM');
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
      const othersDone = (image: ImageView) =>
        PROCESSORS.every((name) => name === entry.name || image.status[name] !== 'pending');
      const meanwhile = await Promise.all(
        ids.map((id) =>
          until(async () => {
            const image = await getImage(id);
            return othersDone(image) ? image : undefined;
          }, `the other processors to finish image ${id}`),
        ),
      );
      const waiting = await queue.counts();

      // act: start it with its callbacks going nowhere, so that it is surely in the middle of
      // a batch, its leases held; kill it then, and start it again as the gallery runs it
      const sink = await openCallbackSink();
      let atKill: Awaited<ReturnType<FileQueue['counts']>>;
      try {
        gallery.apps[worker] = gallery.launch(worker, { API_URL: sink.url });
        await until(
          () => (sink.received.length > 0 ? true : undefined),
          `a callback of ${worker}'s first batch`,
        );
        atKill = await queue.counts();
        await gallery.apps[worker].stop('SIGKILL');
      } finally {
        await sink.close();
      }
      gallery.apps[worker] = gallery.launch(worker);

      // assess: while it was stopped, its events waited in its queue and only it was pending
      expect(meanwhile.map((image) => image.status)).toEqual(
        ids.map(() => perProcessor((name) => (name === entry.name ? 'pending' : 'done'))),
      );
      expect(waiting).toMatchObject({ ready: ids.length, leased: 0 });
      // it was killed holding leases, with a report of an image of the batch on its way
      expect(atKill.leased).toBeGreaterThan(0);
      expect(sink.received[0]).toMatch(
        new RegExp(`^/internal/images/(${ids.join('|')})/${entry.route}$`),
      );
      // once started again, it finished every image, and nothing was dead-lettered
      const images = await Promise.all(ids.map(processed));
      expect(images.map((image) => image.status)).toEqual(ids.map(() => ALL_DONE));
      for (const image of images) expect(image.thumbnails).toHaveLength(2);
      await drained();
      for (const other of Object.values(queues)) {
        expect(
          (await other.listDeadLetters()).filter((d) => ids.some((id) => d.body.includes(id))),
        ).toEqual([]);
      }
    },
  );

  it('converges once the API is back when workers could not call back, losing nothing', async () => {
    // prepare: work queued while every worker is stopped, then the API goes away
    const workers = CATALOG.map((entry) => entry.project);
    await Promise.all(workers.map((name) => gallery.apps[name].stop('SIGTERM')));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await upload(gallery.baseUrl, cookie, `offline ${i}`, await makePng(300, 300), 'o.png'))
          .body.id,
      );
    }
    await until(async () => {
      const counts = await Promise.all(Object.values(queues).map((queue) => queue.counts()));
      return counts.every((c) => c.ready >= 3) ? true : undefined;
    }, 'the events');
    await gallery.apps.api.stop('SIGTERM');
    const from = gallery.logs.length;

    // act: the workers run against no API for a while, then it comes back
    for (const name of workers) {
      gallery.apps[name] = gallery.launch(name);
    }
    await until(
      async () =>
        gallery.logs.slice(from).some((line) => /will be retried/.test(line)) ? true : undefined,
      'a failed callback',
    );
    await gallery.restartApi();

    // assess
    const images = await Promise.all(ids.map(processed));
    expect(images.map((image) => image.status)).toEqual(ids.map(() => ALL_DONE));
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
    expect(image.status).toEqual(ALL_DONE);
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
