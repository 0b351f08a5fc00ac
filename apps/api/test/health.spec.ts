import { createFsObjectStore } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import type { FastifyInstance } from 'fastify';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrations } from '../src/db/migrations';
import type { Database } from '../src/db/schema';
import { createApiReadiness, type ApiReadinessDeps } from '../src/health/api-readiness';
import { CheckFailedError, type Readiness, type ReadinessCheck } from '../src/health/readiness';
import { enqueueEvent } from '../src/outbox/enqueue';
import { createCollectingPublisher } from './support/collecting-publisher';
import { buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

const ALL_OK = {
  database: 'ok',
  migrations: 'ok',
  objectStore: 'ok',
  publisher: 'ok',
  outbox: 'ok',
};

/** Sent by a browser on another site: neither route may care. */
const CROSS_SITE = { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' };

/** A GET over a real connection, as a load balancer's probe sends it. */
async function probe(app: FastifyInstance, path: string) {
  const { port } = app.server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: CROSS_SITE });
  return {
    statusCode: response.status,
    cacheControl: response.headers.get('cache-control'),
    body: (await response.json()) as unknown,
  };
}
const getHealth = (app: FastifyInstance) => probe(app, '/api/health');
const getReady = (app: FastifyInstance) => probe(app, '/api/ready');

/** The test app, listening on a port of its own. */
async function listeningTestApp(database: TestDatabase, readiness: Readiness): Promise<TestApp> {
  const test = await buildTestApp(database, { readiness });
  await test.app.listen({ host: '127.0.0.1', port: 0 });
  return test;
}

/** A port nothing listens on: one the system just handed out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Kysely's record of the migrations it applied, which the schema's type leaves out. */
const migrationRecords = (db: Kysely<Database>) =>
  db as unknown as Kysely<{ kysely_migration: { name: string; timestamp: string } }>;

function countingCheck() {
  const counted = { calls: 0 };
  const check: ReadinessCheck = async () => void (counted.calls += 1);
  return { counted, check };
}

describe('health and readiness', () => {
  let database: TestDatabase;
  let dir: string;
  let test: TestApp | undefined;

  beforeAll(async () => {
    database = await openTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'gallery-health-'));
  });
  afterEach(async () => {
    await test?.app.close();
    test = undefined;
    await database.db.deleteFrom('outbox').execute();
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The app, its readiness on the test database and healthy fakes unless `deps` says otherwise. */
  async function appReadyBy(deps: Partial<ApiReadinessDeps> = {}) {
    const readiness = createApiReadiness({
      db: database.db,
      store: createMemoryObjectStore(),
      publisher: createCollectingPublisher(),
      outboxMaxAgeSeconds: 300,
      ...deps,
    });
    test = await listeningTestApp(database, readiness);
    return { app: test.app, readiness };
  }

  /** An event that has waited in the outbox since `minutes` ago. */
  const enqueueMinutesAgo = (minutes: number) =>
    database.db
      .insertInto('outbox')
      .values({
        type: 'image.uploaded',
        payload: JSON.stringify({ minutes }),
        created_at: sql<Date>`now() - make_interval(mins => ${minutes})`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

  describe('GET /api/health', () => {
    it('answers ok to anyone, with no session or CSRF token, never to be cached', async () => {
      const { app } = await appReadyBy();

      const response = await getHealth(app);

      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
      expect(response.cacheControl).toBe('no-store');
    });
  });

  describe('GET /api/ready', () => {
    it('answers 200 on a healthy app, ok for every check, with no session or CSRF token', async () => {
      const { app } = await appReadyBy();

      const response = await getReady(app);

      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual({ status: 'ready', checks: ALL_OK });
      expect(response.cacheControl).toBe('no-store');
    });

    it('answers 503 naming the object store when its directory cannot be written', async () => {
      // prepare: a file where the store's root should be
      const root = join(dir, 'objects-file');
      await writeFile(root, 'not a directory');
      const { app } = await appReadyBy({ store: createFsObjectStore({ root }) });
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: {
          ...ALL_OK,
          objectStore: `objects cannot be written: ${root} is not a directory`,
        },
      });
    });

    it('answers 503 naming the publisher when it cannot publish', async () => {
      // prepare
      const publisher = createCollectingPublisher();
      publisher.failWith = new Error('topic unreachable');
      const { app } = await appReadyBy({ publisher });
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: { ...ALL_OK, publisher: 'topic unreachable' },
      });
    });

    it('answers 503 naming the outbox when an event has waited longer than the bound', async () => {
      // prepare
      await enqueueMinutesAgo(10);
      const { app } = await appReadyBy({ outboxMaxAgeSeconds: 300 });
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: { ...ALL_OK, outbox: 'oldest unpublished event is 600 s old (limit 300 s)' },
      });
    });

    it('counts only events still waiting: an old published one and a fresh pending one pass', async () => {
      // prepare
      const { id } = await enqueueMinutesAgo(10);
      await database.db
        .updateTable('outbox')
        .set({ published_at: new Date() })
        .where('id', '=', id)
        .execute();
      await enqueueEvent(database.db, { type: 'image.uploaded', payload: { n: 2 } });
      const { app } = await appReadyBy({ outboxMaxAgeSeconds: 300 });
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(200);
      expect(response.body).toEqual({ status: 'ready', checks: ALL_OK });
    });

    it('answers 503 naming the migrations when the database has one this code does not know', async () => {
      // prepare: as a newer version, rolled back, would leave it
      const newer = '9999-from-a-newer-version';
      await migrationRecords(database.db)
        .insertInto('kysely_migration')
        .values({ name: newer, timestamp: new Date().toISOString() })
        .execute();
      try {
        const { app } = await appReadyBy();
        // act
        const response = await getReady(app);
        // assess
        expect(response.statusCode).toBe(503);
        expect(response.body).toEqual({
          status: 'not ready',
          checks: { ...ALL_OK, migrations: `unknown to this version: ${newer}` },
        });
      } finally {
        await migrationRecords(database.db)
          .deleteFrom('kysely_migration')
          .where('name', '=', newer)
          .execute();
      }
    });

    it('answers 503 naming the migrations on a database migrated one step short', async () => {
      // prepare: the app needs its whole schema to start, so only the readiness reads the
      // database left behind
      const names = Object.keys(migrations);
      const behind = await openTestDatabase({ migrated: false });
      try {
        const migrator = new Migrator({
          db: behind.db,
          provider: { getMigrations: async () => migrations },
        });
        expect((await migrator.migrateTo(names[names.length - 2])).error).toBeUndefined();
        const { app } = await appReadyBy({ db: behind.db });
        // act
        const response = await getReady(app);
        // assess
        expect(response.statusCode).toBe(503);
        expect(response.body).toEqual({
          status: 'not ready',
          checks: { ...ALL_OK, migrations: `not applied: ${names[names.length - 1]}` },
        });
      } finally {
        await test?.app.close();
        test = undefined;
        await behind.close();
      }
    });

    it('answers 503 naming the database, and the checks that read it, when nothing answers at its address', async () => {
      // prepare: a port just freed, so nothing listens there
      const port = await freePort();
      const unreachable = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ host: '127.0.0.1', port, connectionTimeoutMillis: 1_000 }),
        }),
      });
      try {
        const { app } = await appReadyBy({ db: unreachable });
        // act
        const response = await getReady(app);
        // assess
        expect(response.statusCode).toBe(503);
        const refused = `connect ECONNREFUSED 127.0.0.1:${port}`;
        expect(response.body).toEqual({
          status: 'not ready',
          checks: { ...ALL_OK, database: refused, migrations: refused, outbox: refused },
        });
      } finally {
        await unreachable.destroy();
      }
    });

    it('answers 503 in time, naming a dependency that does not answer', async () => {
      // prepare
      const hung = { probe: () => new Promise<void>(() => undefined) };
      const { app } = await appReadyBy({ store: hung, timeoutMs: 100 });
      const started = Date.now();
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: { ...ALL_OK, objectStore: 'no answer within 100 ms' },
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('answers 503 naming a check plugged in from outside when it fails', async () => {
      // prepare
      const liveUpdates = async () => {
        throw new CheckFailedError('listener disconnected');
      };
      const { app } = await appReadyBy({ checks: { liveUpdates } });
      // act
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: { ...ALL_OK, liveUpdates: 'listener disconnected' },
      });
    });

    it('answers 503 at once with the draining check once the instance drains, checking nothing', async () => {
      // prepare
      const { counted, check } = countingCheck();
      const { app, readiness } = await appReadyBy({ checks: { counted: check } });
      // act
      readiness.drain();
      const response = await getReady(app);
      // assess
      expect(response.statusCode).toBe(503);
      expect(response.body).toEqual({
        status: 'not ready',
        checks: { draining: 'shutting down' },
      });
      expect(counted.calls).toBe(0);
    });

    it('runs the checks once for a flood of probes', async () => {
      // prepare
      const { counted, check } = countingCheck();
      const { app } = await appReadyBy({ checks: { counted: check } });
      // act
      const responses = await Promise.all(Array.from({ length: 25 }, () => getReady(app)));
      // assess
      expect(responses.map((response) => response.statusCode)).toEqual(Array(25).fill(200));
      expect(counted.calls).toBe(1);
    });
  });
});

describe('health and readiness with the database gone', () => {
  let database: TestDatabase;
  let test: TestApp;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await listeningTestApp(
      database,
      createApiReadiness({
        db: database.db,
        store: createMemoryObjectStore(),
        publisher: createCollectingPublisher(),
        outboxMaxAgeSeconds: 300,
      }),
    );
    // Every query of the app fails from now on; the change listener, on PGlite itself, stays.
    await database.db.destroy();
  });
  afterAll(async () => {
    await test?.app.close();
    await database?.close();
  });

  it('still answers health: it never asks the database', async () => {
    const response = await getHealth(test.app);

    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers 503 naming the database, and the checks that read it, when it is closed', async () => {
    const response = await getReady(test.app);

    expect(response.statusCode).toBe(503);
    const closed = 'driver has already been destroyed';
    expect(response.body).toEqual({
      status: 'not ready',
      checks: { ...ALL_OK, database: closed, migrations: closed, outbox: closed },
    });
  });
});
