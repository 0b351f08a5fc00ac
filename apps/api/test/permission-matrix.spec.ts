import { createFileDeadLetters } from '@gallery/messaging';
import { originalKey, thumbnailKey } from '@gallery/storage';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createSession } from '../src/auth/sessions';
import { makeJpeg, uploadForm } from './support/images';
import { seedImage } from './support/seed';
import { ADMIN_PASSWORD, buildTestApp, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Every route of the API, called by each kind of caller, on things the caller owns and
 * things they do not, and on ids that name nothing. The table it finds is written to
 * `dist/permission-matrix.md`.
 *
 * Chosen: everyone signed in sees every image and album, so a member asking to change
 * someone else's gets 403 (the thing's existence is no secret to them), and an unknown id
 * gets 404. Administration answers 403 to a member before any id is looked at, so a member
 * learns nothing of which people exist. Another person's session is 404 to everyone: a
 * session is only its own person's business. A session grants nothing on `/internal`.
 */

type Caller = 'anonymous' | 'owner' | 'member' | 'admin';
const COLUMNS = [
  'anonymous',
  'owner',
  'member',
  'admin',
  'member, unknown id',
  'admin, unknown id',
] as const;
type Column = (typeof COLUMNS)[number];
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** What one case works on, made afresh for it: all of it belongs to the owner. */
interface Fixture {
  image: string;
  /** An open invitation's id. */
  invitationId: string;
  album: string;
  /** Someone for the administration to act on. */
  person: string;
  /** A second session of the owner's. */
  ownerSession: string;
  invitation: string;
  serial: number;
}

interface Call {
  path: string;
  json?: object;
  form?: FormData;
}

interface RouteCase {
  /** As Fastify registered it. */
  route: string;
  call(fixture: Fixture, caller: Caller, id: string | undefined): Call | Promise<Call>;
  /** Expected per column; a column left out does not apply to the route. */
  expected: Partial<Record<Column, number>>;
}

const PASSWORDS: Record<Exclude<Caller, 'anonymous'>, string> = {
  owner: 'owner password',
  member: 'member password',
  admin: ADMIN_PASSWORD,
};

/** Everyone alike: the route needs no session. */
const publicRoute = (status: number) => ({
  anonymous: status,
  owner: status,
  member: status,
  admin: status,
});
/** Anyone signed in. */
const signedIn = (status: number, unknown?: number) => ({
  anonymous: 401,
  owner: status,
  member: status,
  admin: status,
  ...(unknown !== undefined && { 'member, unknown id': unknown, 'admin, unknown id': unknown }),
});
/** The owner or an administrator. */
const owned = (status: number) => ({
  anonymous: 401,
  owner: status,
  member: 403,
  admin: status,
  'member, unknown id': 404,
  'admin, unknown id': 404,
});
/** Administrators only: 403 to members whatever the id. */
const administration = (status: number, unknown?: number) => ({
  anonymous: 401,
  owner: 403,
  member: 403,
  admin: status,
  ...(unknown !== undefined && { 'member, unknown id': 403, 'admin, unknown id': unknown }),
});

const CASES: RouteCase[] = [
  { route: 'GET /api/health', call: () => ({ path: '/api/health' }), expected: publicRoute(200) },
  {
    route: 'POST /api/auth/login',
    call: () => ({
      path: '/api/auth/login',
      json: { username: 'owner', password: PASSWORDS.owner },
    }),
    expected: publicRoute(200),
  },
  {
    route: 'POST /api/auth/join',
    call: (f) => ({
      path: '/api/auth/join',
      json: { token: f.invitation, username: `joined ${f.serial}`, password: 'joiner password' },
    }),
    expected: publicRoute(201),
  },
  {
    route: 'POST /api/auth/logout',
    call: () => ({ path: '/api/auth/logout' }),
    expected: signedIn(204),
  },
  { route: 'GET /api/auth/me', call: () => ({ path: '/api/auth/me' }), expected: signedIn(200) },
  {
    route: 'PUT /api/auth/password',
    call: (_, caller) => {
      const password = caller === 'anonymous' ? 'whatever it is' : PASSWORDS[caller];
      return { path: '/api/auth/password', json: { current: password, next: password } };
    },
    expected: signedIn(204),
  },
  {
    route: 'GET /api/auth/sessions',
    call: () => ({ path: '/api/auth/sessions' }),
    expected: signedIn(200),
  },
  {
    route: 'DELETE /api/auth/sessions/:id',
    call: (f, _, id) => ({ path: `/api/auth/sessions/${id ?? f.ownerSession}` }),
    expected: {
      anonymous: 401,
      owner: 204,
      member: 404,
      admin: 404,
      'member, unknown id': 404,
      'admin, unknown id': 404,
    },
  },
  { route: 'GET /api/albums', call: () => ({ path: '/api/albums' }), expected: signedIn(200) },
  {
    route: 'POST /api/albums',
    call: () => ({ path: '/api/albums', json: { name: 'New album' } }),
    expected: signedIn(201),
  },
  {
    route: 'GET /api/albums/:id',
    call: (f, _, id) => ({ path: `/api/albums/${id ?? f.album}` }),
    expected: signedIn(200, 404),
  },
  {
    route: 'PATCH /api/albums/:id',
    call: (f, _, id) => ({ path: `/api/albums/${id ?? f.album}`, json: { name: 'Renamed' } }),
    expected: owned(200),
  },
  {
    route: 'DELETE /api/albums/:id',
    call: (f, _, id) => ({ path: `/api/albums/${id ?? f.album}` }),
    expected: owned(204),
  },
  ...(['POST', 'DELETE'] as const).map((method): RouteCase => ({
    route: `${method} /api/albums/:id/images`,
    call: (f, _, id) => ({
      path: `/api/albums/${id ?? f.album}/images`,
      json: { imageIds: [f.image] },
    }),
    expected: owned(200),
  })),
  {
    route: 'GET /api/admin/failures',
    call: () => ({ path: '/api/admin/failures' }),
    expected: administration(200),
  },
  {
    route: 'POST /api/admin/failures/redrive',
    call: () => ({ path: '/api/admin/failures/redrive' }),
    expected: administration(200),
  },
  {
    route: 'POST /api/admin/images/:id/reprocess',
    call: (f, _, id) => ({ path: `/api/admin/images/${id ?? f.image}/reprocess` }),
    expected: administration(202, 404),
  },
  {
    route: 'POST /api/images',
    call: async () => ({
      path: '/api/images',
      form: uploadForm([
        ['name', 'Uploaded'],
        ['file', await makeJpeg(), 'uploaded.jpg'],
      ]),
    }),
    expected: signedIn(201),
  },
  { route: 'GET /api/images', call: () => ({ path: '/api/images' }), expected: signedIn(200) },
  {
    route: 'GET /api/images/:id',
    call: (f, _, id) => ({ path: `/api/images/${id ?? f.image}` }),
    expected: signedIn(200, 404),
  },
  {
    route: 'PATCH /api/images/:id',
    call: (f, _, id) => ({ path: `/api/images/${id ?? f.image}`, json: { name: 'Renamed' } }),
    expected: owned(200),
  },
  {
    route: 'DELETE /api/images/:id',
    call: (f, _, id) => ({ path: `/api/images/${id ?? f.image}` }),
    expected: owned(204),
  },
  {
    route: 'GET /api/images/:id/original',
    call: (f, _, id) => ({ path: `/api/images/${id ?? f.image}/original` }),
    expected: signedIn(200, 404),
  },
  {
    route: 'GET /api/images/:id/thumbnails/:file',
    call: (f, _, id) => ({ path: `/api/images/${id ?? f.image}/thumbnails/256.webp` }),
    expected: signedIn(200, 404),
  },
  { route: 'GET /api/events', call: () => ({ path: '/api/events' }), expected: signedIn(200) },
  {
    route: 'POST /api/invitations',
    call: () => ({ path: '/api/invitations', json: {} }),
    expected: administration(201),
  },
  {
    route: 'GET /api/invitations',
    call: () => ({ path: '/api/invitations' }),
    expected: administration(200),
  },
  {
    route: 'DELETE /api/invitations/:id',
    call: (f, _, id) => ({ path: `/api/invitations/${id ?? f.invitationId}` }),
    expected: administration(204, 404),
  },
  { route: 'GET /api/users', call: () => ({ path: '/api/users' }), expected: administration(200) },
  {
    route: 'POST /api/users',
    call: (f) => ({
      path: '/api/users',
      json: { username: `added ${f.serial}`, password: 'first password' },
    }),
    expected: administration(201),
  },
  {
    route: 'PATCH /api/users/:id',
    call: (f, _, id) => ({ path: `/api/users/${id ?? f.person}`, json: { role: 'member' } }),
    expected: administration(200, 404),
  },
  {
    route: 'PUT /api/users/:id/password',
    call: (f, _, id) => ({
      path: `/api/users/${id ?? f.person}/password`,
      json: { password: 'reset password' },
    }),
    expected: administration(204, 404),
  },
  ...(['thumbnails', 'tags', 'metadata'] as const).map((processor): RouteCase => ({
    route: `PUT /internal/images/:id/${processor}`,
    call: (f) => ({
      path: `/internal/images/${f.image}/${processor}`,
      json: { status: 'failed', imageId: f.image, eventId: f.image, error: 'no signature' },
    }),
    // A session is no callback signature.
    expected: publicRoute(401),
  })),
];

describe('the permission matrix', () => {
  let database: TestDatabase;
  let test: TestApp;
  let baseUrl: string;
  let queuesDir: string;
  const users: Partial<Record<Caller, string>> = {};
  let serial = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    queuesDir = await mkdtemp(join(tmpdir(), 'gallery-matrix-'));
    test = await buildTestApp(database, {
      deadLetters: createFileDeadLetters({ queuesDir, queues: ['thumbnails', 'tags'] }),
    });
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`;
    const admin = await database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    users.admin = admin.id;
    for (const caller of ['owner', 'member'] as const) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: await cookieOf('admin') },
        payload: { username: caller, password: PASSWORDS[caller] },
      });
      users[caller] = response.json<{ id: string }>().id;
    }
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
    await rm(queuesDir, { recursive: true, force: true });
  });

  async function cookieOf(caller: Caller): Promise<string | undefined> {
    const user = users[caller as Exclude<Caller, 'anonymous'>];
    if (caller === 'anonymous' || !user) return undefined;
    return `gallery_session=${await createSession(database.db, user, 1)}`;
  }

  /** A fresh image (with its original and a thumbnail), album, person, session, invitation. */
  async function makeFixture(): Promise<Fixture> {
    serial += 1;
    const owner = users.owner as string;
    const image = await seedImage(database, { name: `image ${serial}` });
    await database.db
      .updateTable('images')
      .set({ owner_id: owner })
      .where('id', '=', image)
      .execute();
    test.store.objects.set(originalKey(image), {
      data: await makeJpeg(),
      contentType: 'image/jpeg',
    });
    const key = thumbnailKey(image, 256, 'webp');
    await database.db
      .insertInto('thumbnails')
      .values({ image_id: image, width: 256, height: 192, format: 'webp', key, size: 4 })
      .execute();
    test.store.objects.set(key, { data: Buffer.from('RIFF'), contentType: 'image/webp' });
    const album = await database.db
      .insertInto('albums')
      .values({ name: `album ${serial}`, owner_id: owner })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('album_images')
      .values({ album_id: album.id, image_id: image })
      .execute();
    const person = await database.db
      .insertInto('users')
      .values({ username: `person ${serial}`, password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await createSession(database.db, owner, 1);
    const ownerSession = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', owner)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const invitation = await test.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: { cookie: await cookieOf('admin') },
      payload: {},
    });
    return {
      image,
      album: album.id,
      person: person.id,
      ownerSession: ownerSession.id,
      invitation: invitation.json<{ token: string }>().token,
      invitationId: invitation.json<{ id: string }>().id,
      serial,
    };
  }

  async function send(method: string, call: Call, cookie: string | undefined): Promise<number> {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    let body: string | FormData | undefined;
    if (call.form) body = call.form;
    else if (call.json) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}${call.path}`, {
      method,
      headers,
      body,
      signal: controller.signal,
    });
    // An event stream never ends by itself: its status is all this needs.
    controller.abort();
    return response.status;
  }

  const found: Record<string, Partial<Record<Column, number>>> = {};

  it('covers every route the API registers', () => {
    const registered = new Set<string>();
    for (const { method, url } of test.routes) {
      if (method !== 'HEAD' && !url.startsWith('/*')) registered.add(`${method} ${url}`);
    }
    expect([...registered].sort()).toEqual(CASES.map((each) => each.route).sort());
  });

  it.each(CASES.map((each) => [each.route, each] as const))('%s', async (route, each) => {
    const method = route.split(' ')[0];
    const statuses: Partial<Record<Column, number>> = {};
    for (const column of COLUMNS) {
      if (each.expected[column] === undefined) continue;
      const unknown = column.endsWith('unknown id');
      const caller: Caller = unknown
        ? column.startsWith('admin')
          ? 'admin'
          : 'member'
        : (column as Caller);
      const fixture = await makeFixture();
      const call = await each.call(fixture, caller, unknown ? UNKNOWN : undefined);
      statuses[column] = await send(method, call, await cookieOf(caller));
    }
    found[route] = statuses;
    expect(statuses).toEqual(each.expected);
  });

  afterAll(async () => {
    const lines = [
      '# Permission matrix',
      '',
      'Generated by `apps/api/test/permission-matrix.spec.ts`: the status each route answered.',
      '"owner" is a member who added the image or album (or whose session it is); "member" is',
      'another member; "unknown id" is a well-formed id that names nothing; — does not apply.',
      '',
      `| route | ${COLUMNS.join(' | ')} |`,
      `| --- | ${COLUMNS.map(() => '---').join(' | ')} |`,
      ...CASES.map(
        ({ route }) =>
          `| \`${route}\` | ${COLUMNS.map((column) => found[route]?.[column] ?? '—').join(' | ')} |`,
      ),
      '',
    ];
    const file = resolve(__dirname, '../../../dist/permission-matrix.md');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, lines.join('\n'));
  });
});
