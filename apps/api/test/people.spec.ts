import type { AddressInfo } from 'node:net';
import { openEventStream } from './support/event-stream';
import { seedImage } from './support/seed';
import { buildTestApp, logInAsAdmin, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('people', () => {
  let database: TestDatabase;
  let test: TestApp;
  let admin: string;
  let baseUrl: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, { eventPingIntervalMs: 50 });
    admin = await logInAsAdmin(test.app);
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(test.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  const call = (
    cookie: string | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) =>
    test.app.inject({
      method,
      url,
      headers: { ...(cookie && { cookie }), 'user-agent': 'people-test' },
      ...(payload && { payload }),
    });

  async function logIn(username: string, password: string): Promise<string> {
    const response = await call(undefined, 'POST', '/api/auth/login', { username, password });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'gallery_session');
    return `${cookie?.name}=${cookie?.value}`;
  }

  let serial = 0;
  async function addMember(role: 'admin' | 'member' = 'member') {
    const username = `person${(serial += 1)}`;
    const response = await call(admin, 'POST', '/api/users', {
      username,
      password: 'first password',
      role,
    });
    expect(response.statusCode).toBe(201);
    const { id } = response.json<{ id: string }>();
    return { id, username, cookie: await logIn(username, 'first password') };
  }

  it('lets the administrator add someone, who then signs in as a member', async () => {
    const member = await addMember();

    const me = await call(member.cookie, 'GET', '/api/auth/me');
    expect(me.json()).toEqual({ id: member.id, username: member.username, role: 'member' });
    const people = await call(admin, 'GET', '/api/users');
    expect(people.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: member.id, role: 'member', disabled: false }),
      ]),
    );
  });

  it('refuses a name already taken, whatever its case', async () => {
    const response = await call(admin, 'POST', '/api/users', {
      username: 'ADMIN',
      password: 'first password',
    });

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ message: 'the name ADMIN is taken' });
  });

  it('keeps the administration to administrators: a member gets 403, even for an unknown id', async () => {
    const member = await addMember();

    for (const [method, url] of [
      ['GET', '/api/users'],
      ['PATCH', `/api/users/${member.id}`],
      ['PATCH', '/api/users/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/invitations'],
      ['GET', '/api/admin/failures'],
    ] as const) {
      const response = await call(member.cookie, method, url, method === 'GET' ? undefined : {});
      expect([method, url, response.statusCode]).toEqual([method, url, 403]);
    }
  });

  it('never demotes or disables the last active administrator', async () => {
    const me = (await call(admin, 'GET', '/api/auth/me')).json<{ id: string }>();

    const demoted = await call(admin, 'PATCH', `/api/users/${me.id}`, { role: 'member' });
    const disabled = await call(admin, 'PATCH', `/api/users/${me.id}`, { disabled: true });

    expect([demoted.statusCode, disabled.statusCode]).toEqual([409, 409]);
    expect(demoted.json()).toEqual({
      message: 'the last active administrator cannot be demoted or disabled',
    });

    // With a second administrator, one may step down.
    const second = await addMember('admin');
    const stepDown = await call(second.cookie, 'PATCH', `/api/users/${second.id}`, {
      role: 'member',
    });
    expect(stepDown.json()).toMatchObject({ role: 'member' });
  });

  it('lets two administrators demote each other at once only one way', async () => {
    const other = await addMember('admin');
    const me = (await call(admin, 'GET', '/api/auth/me')).json<{ id: string }>();
    // Only the two of them are active administrators now.
    for (const person of (await call(admin, 'GET', '/api/users')).json<
      { id: string; role: string }[]
    >()) {
      if (person.role === 'admin' && person.id !== me.id && person.id !== other.id) {
        await call(admin, 'PATCH', `/api/users/${person.id}`, { role: 'member' });
      }
    }

    const answers = await Promise.all([
      call(admin, 'PATCH', `/api/users/${other.id}`, { role: 'member' }),
      call(other.cookie, 'PATCH', `/api/users/${me.id}`, { role: 'member' }),
    ]);

    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    // Whoever won is still an administrator: the gallery keeps one.
    const admins = (await call(admin, 'GET', '/api/users'))
      .json<{ role: string; disabled: boolean }[]>()
      .filter((person) => person.role === 'admin' && !person.disabled);
    expect(admins).toHaveLength(1);
    // Back as it was for the other tests.
    if (answers[1].statusCode === 200) {
      await call(other.cookie, 'PATCH', `/api/users/${me.id}`, { role: 'admin' });
    }
  });

  it('ends every session of someone disabled at once, their open event stream too', async () => {
    const member = await addMember();
    const stream = await openEventStream(`${baseUrl}/api/events`, { cookie: member.cookie });
    await stream.until((events) => events.length > 0);

    const response = await call(admin, 'PATCH', `/api/users/${member.id}`, { disabled: true });

    expect(response.json()).toMatchObject({ disabled: true });
    await stream.ended;
    expect((await call(member.cookie, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const again = await call(undefined, 'POST', '/api/auth/login', {
      username: member.username,
      password: 'first password',
    });
    expect([again.statusCode, again.json()]).toEqual([
      403,
      { message: 'this account is disabled' },
    ]);

    await call(admin, 'PATCH', `/api/users/${member.id}`, { disabled: false });
    expect(typeof (await logIn(member.username, 'first password'))).toBe('string');
  });

  it('ends every session of someone whose password the administrator resets', async () => {
    const member = await addMember();

    const reset = await call(admin, 'PUT', `/api/users/${member.id}/password`, {
      password: 'a new password',
    });

    expect(reset.statusCode).toBe(204);
    expect((await call(member.cookie, 'GET', '/api/auth/me')).statusCode).toBe(401);
    await logIn(member.username, 'a new password');
  });

  it('lets everyone change their own password, the current one required, ending their other sessions', async () => {
    const member = await addMember();
    const elsewhere = await logIn(member.username, 'first password');

    const wrong = await call(member.cookie, 'PUT', '/api/auth/password', {
      current: 'not it at all',
      next: 'second password',
    });
    const short = await call(member.cookie, 'PUT', '/api/auth/password', {
      current: 'first password',
      next: 'short',
    });
    const right = await call(member.cookie, 'PUT', '/api/auth/password', {
      current: 'first password',
      next: 'second password',
    });

    expect([wrong.statusCode, wrong.json()]).toEqual([
      400,
      { message: 'the current password is wrong' },
    ]);
    expect(short.statusCode).toBe(400);
    expect(right.statusCode).toBe(204);
    expect((await call(member.cookie, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await call(elsewhere, 'GET', '/api/auth/me')).statusCode).toBe(401);
    await logIn(member.username, 'second password');
  });

  it('lists one’s own sessions and ends one of them, but not someone else’s', async () => {
    const member = await addMember();
    const elsewhere = await logIn(member.username, 'first password');

    const sessions = (await call(member.cookie, 'GET', '/api/auth/sessions')).json<
      { id: string; current: boolean; userAgent: string }[]
    >();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions[0].userAgent).toBe('people-test');
    const other = sessions.find((session) => !session.current);

    const byAdmin = await call(admin, 'DELETE', `/api/auth/sessions/${other?.id}`);
    expect(byAdmin.statusCode).toBe(404);
    const ended = await call(member.cookie, 'DELETE', `/api/auth/sessions/${other?.id}`);
    expect(ended.statusCode).toBe(204);
    expect((await call(elsewhere, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await call(member.cookie, 'GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('lets someone join once with an invitation, before it expires', async () => {
    const invitation = await call(admin, 'POST', '/api/invitations', { role: 'member', hours: 1 });
    expect(invitation.statusCode).toBe(201);
    const { token, path } = invitation.json<{ token: string; path: string }>();
    expect(path).toBe(`/join#${token}`);

    const joined = await call(undefined, 'POST', '/api/auth/join', {
      token,
      username: 'Invited Ines',
      password: 'her own password',
    });
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toMatchObject({ username: 'Invited Ines', role: 'member' });
    const cookie = joined.cookies.find((c) => c.name === 'gallery_session');
    expect(
      (await call(`${cookie?.name}=${cookie?.value}`, 'GET', '/api/auth/me')).json(),
    ).toMatchObject({ username: 'Invited Ines' });

    const twice = await call(undefined, 'POST', '/api/auth/join', {
      token,
      username: 'Someone Else',
      password: 'another password',
    });
    expect([twice.statusCode, twice.json()]).toEqual([
      404,
      { message: 'this invitation is unknown, used or expired' },
    ]);

    const late = (await call(admin, 'POST', '/api/invitations', {})).json<{ token: string }>();
    await database.db
      .updateTable('invitations')
      .set({ expires_at: new Date(0) })
      .execute();
    const expired = await call(undefined, 'POST', '/api/auth/join', {
      token: late.token,
      username: 'Too Late',
      password: 'another password',
    });
    expect(expired.statusCode).toBe(404);
  });

  it('lists the invitations still open, without their tokens, and revokes one so that its link no longer works', async () => {
    const made = (await call(admin, 'POST', '/api/invitations', { role: 'admin', hours: 2 })).json<{
      id: string;
      token: string;
    }>();

    const open = (await call(admin, 'GET', '/api/invitations')).json<{ id: string }[]>();
    expect(open).toContainEqual({
      id: made.id,
      role: 'admin',
      createdBy: 'admin',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify(open)).not.toContain(made.token);

    expect((await call(admin, 'DELETE', `/api/invitations/${made.id}`)).statusCode).toBe(204);
    expect((await call(admin, 'DELETE', `/api/invitations/${made.id}`)).statusCode).toBe(404);
    const joined = await call(undefined, 'POST', '/api/auth/join', {
      token: made.token,
      username: 'Revoked Rita',
      password: 'another password',
    });
    expect(joined.statusCode).toBe(404);
    const ids = (await call(admin, 'GET', '/api/invitations'))
      .json<{ id: string }[]>()
      .map((i) => i.id);
    expect(ids).not.toContain(made.id);
  });

  it('records who added an image, and lets only them or an administrator change it', async () => {
    const owner = await addMember();
    const other = await addMember();
    const id = await seedImage(database);
    await database.db
      .updateTable('images')
      .set({ owner_id: owner.id })
      .where('id', '=', id)
      .execute();

    const byOther = await call(other.cookie, 'PATCH', `/api/images/${id}`, { name: 'mine now' });
    const deleteByOther = await call(other.cookie, 'DELETE', `/api/images/${id}`);
    const byOwner = await call(owner.cookie, 'PATCH', `/api/images/${id}`, { name: 'renamed' });
    const byAdmin = await call(admin, 'PATCH', `/api/images/${id}`, { name: 'by the admin' });

    expect([byOther.statusCode, deleteByOther.statusCode]).toEqual([403, 403]);
    expect(byOther.json()).toEqual({
      message: 'only who added this image or an administrator may change it',
    });
    expect([byOwner.statusCode, byAdmin.statusCode]).toEqual([200, 200]);
    expect((await call(other.cookie, 'GET', `/api/images/${id}`)).json()).toMatchObject({
      name: 'by the admin',
    });
  });
});
