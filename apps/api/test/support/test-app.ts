import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import galleryApp, { serverOptions, type AppDeps } from '../../src/app';
import { ensureAdminUser } from '../../src/auth/admin-user';
import { followChanges } from '../../src/feed/follow-changes';
import type { ChangeHub } from '../../src/feed/change-hub';
import type { FeedEvent } from '../../src/feed/append-change';
import { readChanges, readPosition } from '../../src/feed/read-changes';
import type { TestDatabase } from './test-database';
import { perProcessor } from '@gallery/processors';
import { createMemoryObjectStore, type MemoryObjectStore } from '@gallery/storage/testing';

export const ADMIN_PASSWORD = 'correct horse battery staple';
/** Each processor's callback secrets: the current one, then the previous one. */
export const SECRETS = perProcessor((name) => [
  `${name}-secret-current-0123456789`,
  `${name}-secret-previous-0123456789`,
]);

export interface TestApp {
  app: FastifyInstance;
  store: MemoryObjectStore;
  hub: ChangeHub;
  /** The changes the feed received. */
  changes: {
    /** From now on: what `since` returns starts after this. */
    mark(): Promise<void>;
    /** The events appended to the feed since the mark (or since the start). */
    since(): Promise<FeedEvent[]>;
  };
  nudges: number;
  /** Every route registered, as Fastify has it. */
  routes: { method: string; url: string }[];
}

/** The real app on a test database, with an in-memory store and (unless given one) a silent log. */
export async function buildTestApp(
  database: TestDatabase,
  overrides: Partial<AppDeps> = {},
  {
    trustProxy = false,
    logger = pino({ level: 'silent' }),
  }: { trustProxy?: boolean; logger?: FastifyBaseLogger } = {},
): Promise<TestApp> {
  await ensureAdminUser(database.db, ADMIN_PASSWORD);
  const store = createMemoryObjectStore('test-bucket');
  const followed = await followChanges(database, logger);
  let mark = 0;
  const test: TestApp = {
    app: Fastify(serverOptions(logger, { trustProxy })),
    store,
    hub: followed.hub,
    changes: {
      mark: async () => void (mark = (await readPosition(database.db)).last),
      since: async () => (await readChanges(database.db, mark, 10_000)).map(({ event }) => event),
    },
    nudges: 0,
    routes: [],
  };
  test.app.addHook('onRoute', ({ method, url }) => {
    for (const each of [method].flat()) test.routes.push({ method: each, url });
  });
  test.app.addHook('onClose', followed.stop);
  await test.app.register(galleryApp, {
    db: database.db,
    store,
    hub: followed.hub,
    nudgeOutbox: () => void (test.nudges += 1),
    callbackSecrets: SECRETS,
    maxUploadBytes: 1024 * 1024,
    sessionTtlHours: 1,
    // Suites log in many times from one address; the limits' own tests set small ones.
    loginLimits: { perIp: 1000, failuresPerUser: 1000, windowMs: 60_000 },
    ...overrides,
  });
  await test.app.ready();
  return test;
}

/** Logs in as admin; returns the Cookie header to send. */
export async function logInAsAdmin(app: FastifyInstance): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'gallery_session');
  if (!cookie) throw new Error('login set no session cookie');
  return `${cookie.name}=${cookie.value}`;
}
