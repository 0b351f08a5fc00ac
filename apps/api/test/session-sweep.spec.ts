import pino from 'pino';
import { ensureAdminUser } from '../src/auth/admin-user';
import { startSessionSweep } from '../src/auth/session-sweep';
import { createSession, deleteExpiredSessions, findSession } from '../src/auth/sessions';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the session sweep', () => {
  let database: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await ensureAdminUser(database.db, 'a password long enough');
    ({ id: userId } = await database.db.selectFrom('users').select('id').executeTakeFirstOrThrow());
  });
  beforeEach(async () => {
    await database.db.deleteFrom('sessions').execute();
  });
  afterAll(async () => {
    await database.close();
  });

  const countSessions = async () =>
    (await database.db.selectFrom('sessions').select('token_hash').execute()).length;

  it('deletes the expired sessions and keeps the live ones', async () => {
    const expired = await createSession(database.db, userId, 1);
    await database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(0) })
      .execute();
    const live = await createSession(database.db, userId, 1);

    const deleted = await deleteExpiredSessions(database.db);

    expect(deleted).toBe(1);
    expect(await countSessions()).toBe(1);
    expect(await findSession(database.db, live)).toMatchObject({ user: { username: 'admin' } });
    expect(await findSession(database.db, expired)).toBeNull();
  });

  it('sweeps periodically once started, and stops when told', async () => {
    await createSession(database.db, userId, 1);
    await database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(0) })
      .execute();
    const sweep = startSessionSweep({
      db: database.db,
      logger: pino({ level: 'silent' }),
      intervalMs: 10,
    });

    while ((await countSessions()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await sweep.stop();

    expect(await countSessions()).toBe(0);
  });
});
