import { imageView } from '@gallery/message-schema';
import { startTestDatabase } from '@gallery/postgres-server';
import { PROCESSORS } from '@gallery/processors';
import pg from 'pg';
import { freePort, login, makeJpeg, startTestGallery, until, upload, type App } from './gallery';
import { openEventStream } from './sse';

type Stream = Awaited<ReturnType<typeof openEventStream>>;
type Gallery = Awaited<ReturnType<typeof startTestGallery>>;

/** One API process: where it answers, and the process when the test started it. */
interface Instance {
  baseUrl: string;
  restart(): Promise<void>;
  kill(): Promise<void>;
  /** Asks it to stop (SIGTERM) and resolves once it has exited. */
  terminate(): Promise<void>;
}

/** Every event's `id event` and data, to compare streams whole. */
const sequenceOf = (stream: Stream) => stream.events.map((e) => `${e.id} ${e.event} ${e.data}`);
const idsOf = (stream: Stream) => stream.events.map((e) => Number(e.id));

/**
 * Runs the gallery's API as `count` processes on one database (the first one the launcher's,
 * the workers calling back to it), each serving event streams from the change feed.
 */
function describeInstances(name: string, database: 'postgres' | 'pglite', count: number) {
  describe(`${count} API instance(s) on ${name}`, () => {
    let server: { url: string; stop(): Promise<void> } | undefined;
    let gallery: Gallery;
    let cookie: string;
    const instances: Instance[] = [];
    const streams: Stream[] = [];

    beforeAll(async () => {
      server = database === 'postgres' ? await startTestDatabase() : undefined;
      gallery = await startTestGallery({
        ...(server && { DATABASE_URL: server.url }),
        SHUTDOWN_DRAIN_SECONDS: '0',
      });
      instances.push({
        baseUrl: gallery.baseUrl,
        restart: () => gallery.restartApi(),
        kill: () => gallery.apps.api.stop('SIGKILL'),
        terminate: () => gallery.apps.api.stop('SIGTERM'),
      });
      for (let n = 1; n < count; n++) instances.push(await startAnotherApi(gallery));
      cookie = await login(gallery.baseUrl);
    });
    afterEach(() => {
      for (const stream of streams.splice(0)) stream.close();
    });
    afterAll(async () => {
      for (const instance of instances.slice(1)) await instance.kill();
      await gallery?.stop();
      await server?.stop();
    });

    async function open(instance: Instance, lastEventId?: string) {
      const stream = await openEventStream(instance.baseUrl, cookie, { lastEventId });
      streams.push(stream);
      return stream;
    }

    /** The feed's last number, read through the API: a stream opened now starts there. */
    async function lastNumber(): Promise<number> {
      const probe = await open(instances[0]);
      await until(() => (probe.lastId() !== '' ? true : undefined), 'the stream to start');
      probe.close();
      return Number(probe.lastId());
    }

    const send = (instance: Instance, method: string, path: string, body?: unknown) =>
      fetch(`${instance.baseUrl}${path}`, {
        method,
        headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (response) => {
        expect(response.status).toBeLessThan(300);
        return response;
      });

    /** Uploads, renames and deletes through each instance; waits until processing is done. */
    async function changeThroughEach(jpeg: Buffer, through = instances): Promise<void> {
      const ids: string[] = [];
      for (const [n, instance] of through.entries()) {
        const uploaded = await upload(instance.baseUrl, cookie, `photo ${n}`, jpeg, 'photo.jpg');
        expect(uploaded.status).toBe(201);
        ids.push(uploaded.body.id);
      }
      for (const [n, instance] of through.entries()) {
        await send(instance, 'PATCH', `/api/images/${ids[(n + 1) % ids.length]}`, {
          name: `renamed on ${n}`,
        });
      }
      for (const id of ids) {
        await until(async () => {
          const response = await send(through[0], 'GET', `/api/images/${id}`);
          const image = imageView.parse(await response.json());
          return PROCESSORS.every((p) => image.status[p] === 'done') ? true : undefined;
        }, `image ${id} processed`);
      }
      await send(through.at(-1) as Instance, 'DELETE', `/api/images/${ids[0]}`);
    }

    /** Waits until every stream has the change numbered `last`. */
    const untilEveryStreamHas = (list: Stream[], last: number) =>
      until(
        () => (list.every((stream) => idsOf(stream).at(-1) === last) ? true : undefined),
        `every stream to reach change ${last}`,
      );

    it('gives every stream, on every instance, every change in order, once', async () => {
      const jpeg = await makeJpeg(640, 480);
      const start = await lastNumber();
      const watching = [];
      for (const instance of instances) watching.push(await open(instance), await open(instance));

      await changeThroughEach(jpeg);
      const last = await lastNumber();
      await untilEveryStreamHas(watching, last);

      const expected = Array.from({ length: last - start }, (_, n) => start + n + 1);
      for (const stream of watching) expect(idsOf(stream)).toEqual(expected);
      for (const stream of watching.slice(1)) {
        expect(sequenceOf(stream)).toEqual(sequenceOf(watching[0]));
      }
    });

    it('replays exactly what a client missed while its instance was killed and restarted', async () => {
      const jpeg = await makeJpeg(640, 480);
      const victim = instances.at(-1) as Instance;
      const survivor = instances[0];
      const steady = count > 1 ? await open(survivor) : undefined;
      const broken = [await open(victim), await open(victim)];
      const seen = await lastNumber();
      await until(
        () => (broken.every((s) => s.lastId() === String(seen)) ? true : undefined),
        'the streams to start',
      );

      await victim.kill();
      await Promise.all(broken.map((stream) => stream.ended));
      if (count > 1) await changeThroughEach(jpeg, [survivor]);
      await victim.restart();
      if (count === 1) await changeThroughEach(jpeg);
      // One client comes back to the restarted instance, the other to any instance.
      const resumed = [
        await open(victim, broken[0].lastId()),
        await open(survivor, broken[1].lastId()),
      ];
      const last = await lastNumber();
      await untilEveryStreamHas([...resumed, ...(steady ? [steady] : [])], last);

      const missed = Array.from({ length: last - seen }, (_, n) => seen + n + 1);
      expect(missed.length).toBeGreaterThan(0);
      for (const stream of broken) expect(idsOf(stream)).toEqual([]);
      for (const stream of resumed) expect(idsOf(stream)).toEqual(missed);
      if (steady) expect(sequenceOf(resumed[0])).toEqual(sequenceOf(steady));
      expect(sequenceOf(resumed[1])).toEqual(sequenceOf(resumed[0]));
    });

    if (database !== 'postgres') return;

    it('misses nothing while the listeners’ connections are terminated mid-changes', async () => {
      const watching = [];
      for (const instance of instances) watching.push(await open(instance));
      const start = await lastNumber();
      const jpeg = await makeJpeg(640, 480);
      const admin = new pg.Client({ connectionString: server?.url });
      await admin.connect();
      try {
        const changing = changeThroughEach(jpeg);
        for (let round = 0; round < 3; round++) {
          const { rowCount } = await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where application_name = 'gallery-change-listener'`,
          );
          expect(rowCount).toBeGreaterThan(0);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        await changing;
      } finally {
        await admin.end();
      }
      const last = await lastNumber();
      await untilEveryStreamHas(watching, last);

      const expected = Array.from({ length: last - start }, (_, n) => start + n + 1);
      for (const stream of watching) expect(idsOf(stream)).toEqual(expected);
    });

    it('drains on SIGTERM: not ready at once, still serving, its streams ended only after the drain', async () => {
      const drainSeconds = 2;
      const draining = await startAnotherApi(gallery, {
        SHUTDOWN_DRAIN_SECONDS: String(drainSeconds),
      });
      const ready = () => fetch(`${draining.baseUrl}/api/ready`).then((r) => r.status);
      await until(async () => ((await ready()) === 200 ? true : undefined), 'the instance ready');
      const stream = await open(draining);
      await until(() => (stream.lastId() !== '' ? true : undefined), 'the stream to start');

      let streamOpen = true;
      void stream.ended.then(() => (streamOpen = false));
      const asked = Date.now();
      const stopped = draining.terminate();
      await until(async () => ((await ready()) === 503 ? true : undefined), 'ready to answer 503');
      const openWhenNotReady = streamOpen;
      const health = await fetch(`${draining.baseUrl}/api/health`).then((r) => r.status);
      const body = await fetch(`${draining.baseUrl}/api/ready`).then((r) => r.json());
      await stream.ended;
      const streamEndedAfterMs = Date.now() - asked;
      await stopped;

      expect(openWhenNotReady).toBe(true);
      expect(health).toBe(200);
      expect(body).toEqual({ status: 'not ready', checks: { draining: 'shutting down' } });
      expect(streamEndedAfterMs).toBeGreaterThanOrEqual(drainSeconds * 1000);
    });

    it('locks a user out after the failures allowed, however they are spread over instances', async () => {
      const attempt = (instance: Instance, password: string) =>
        fetch(`${instance.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        }).then((response) => response.status);

      const failures = [];
      for (let n = 0; n < 5; n++) failures.push(await attempt(instances[n % count], 'wrong'));
      const afterwards = await Promise.all(
        instances.map((instance) => attempt(instance, 'correct horse battery staple')),
      );

      expect(failures).toEqual([401, 401, 401, 401, 401]);
      expect(afterwards).toEqual(instances.map(() => 429));
    });
  });
}

/** A second API process on its own port, on the gallery's data directory and database. */
async function startAnotherApi(gallery: Gallery, env: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let app: App | undefined;
  const start = async () => {
    app = gallery.launch('api', { ...env, PORT: String(port) });
    await until(
      () =>
        fetch(`${baseUrl}/api/health`).then(
          (response) => (response.status === 200 ? true : undefined),
          () => undefined,
        ),
      'the second API to answer',
    );
  };
  await start();
  return {
    baseUrl,
    restart: start,
    kill: async () => app?.stop('SIGKILL'),
    terminate: async () => app?.stop('SIGTERM'),
  };
}

describeInstances('PostgreSQL', 'postgres', 2);
describeInstances('PGlite', 'pglite', 1);
