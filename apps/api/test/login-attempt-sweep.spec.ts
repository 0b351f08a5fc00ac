import pino from 'pino';
import { startLoginAttemptSweep } from '../src/auth/login-attempt-sweep';
import { countLoginAttempt, deleteExpiredLoginAttempts } from '../src/auth/login-attempts';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the login attempt sweep', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('login_attempts').execute();
  });
  afterAll(async () => {
    await database.close();
  });

  const keys = async () =>
    (await database.db.selectFrom('login_attempts').select('key').orderBy('key').execute()).map(
      (row) => row.key,
    );
  /** A window that ended an hour ago. */
  const endedWindow = (key: string) =>
    database.db
      .insertInto('login_attempts')
      .values({ key, count: 3, reset_at: new Date(Date.now() - 3_600_000) })
      .execute();

  it('deletes the windows that have ended and keeps the live ones', async () => {
    await endedWindow('ip:203.0.113.1');
    await endedWindow('user:nobody');
    await countLoginAttempt(database.db, 'user:admin', 60_000);

    const deleted = await deleteExpiredLoginAttempts(database.db);

    expect(deleted).toBe(2);
    expect(await keys()).toEqual(['user:admin']);
  });

  it('sweeps periodically once started, and stops when told', async () => {
    await endedWindow('ip:203.0.113.1');
    const sweep = startLoginAttemptSweep({
      db: database.db,
      logger: pino({ level: 'silent' }),
      intervalMs: 10,
    });

    while ((await keys()).length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await sweep.stop();

    expect(await keys()).toEqual([]);
  });
});
