import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect';
import type { Database } from '../src/db/schema';
import { withAdvisoryLock } from '../src/housekeeping/advisory-lock';
import { startPeriodic } from '../src/housekeeping/periodic';
import {
  openPostgresSchema,
  postgresServerForTests,
  type PostgresTestDatabase,
} from './support/postgres-schema';
import { openTestDatabase, type TestDatabase } from './support/test-database';
import { until } from './support/until';

/** A task name of its own per test: advisory locks are server-wide, and the server may be shared. */
const taskName = () => `test task ${randomUUID()}`;

/** A promise and the function that settles it, to hold a run open until the test says so. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A task with nothing to do. */
const nothing = async () => undefined;

/** Advisory locks the connection's own session holds. */
async function locksHeld(connection: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ held: number }>`
    select count(*)::int as held from pg_locks
    where locktype = 'advisory' and pid = pg_backend_pid()
  `.execute(connection);
  return rows[0]?.held ?? 0;
}

const serverUrl = postgresServerForTests();

describe('runs under an advisory lock on PostgreSQL', () => {
  let database: PostgresTestDatabase;
  /** A second instance: a pool of its own on the same database. */
  let other: DatabaseHandle;

  beforeAll(async () => {
    database = await openPostgresSchema(await serverUrl());
    other = connectPostgres(database.url);
  });
  afterAll(async () => {
    await other.close();
    await database.close();
  });

  it('runs a task on one instance at a time: the other instance skips it', async () => {
    // prepare: the first instance's run holds the lock until the gate opens
    const name = taskName();
    const held = gate();
    const ran: string[] = [];
    const first = withAdvisoryLock(database.db, name, async () => {
      ran.push('first');
      await held.opened;
    });
    await until(() => ran.length > 0);
    // act
    const second = await withAdvisoryLock(other.db, name, async () => {
      ran.push('second');
    });
    held.open();
    // assess
    expect(second).toBe('skipped');
    expect(await first).toBe('done');
    expect(ran).toEqual(['first']);
  });

  it('lets different tasks run at the same time', async () => {
    const held = gate();
    let started = false;
    const first = withAdvisoryLock(database.db, taskName(), async () => {
      started = true;
      await held.opened;
    });
    await until(() => started);

    const second = await withAdvisoryLock(other.db, taskName(), nothing);
    held.open();

    expect(second).toBe('done');
    expect(await first).toBe('done');
  });

  it('releases the lock after a run, for another instance to take', async () => {
    const name = taskName();
    await withAdvisoryLock(database.db, name, nothing);

    const next = await withAdvisoryLock(other.db, name, nothing);

    expect(next).toBe('done');
  });

  it('releases the lock after a failing run, whose error it passes on', async () => {
    const name = taskName();
    const failing = withAdvisoryLock(database.db, name, async () => {
      throw new Error('the task failed');
    });
    await expect(failing).rejects.toThrow('the task failed');

    const next = await withAdvisoryLock(other.db, name, nothing);

    expect(next).toBe('done');
  });

  it('gives the task the connection that holds the lock', async () => {
    let held = 0;

    await withAdvisoryLock(database.db, taskName(), async (connection) => {
      held = await locksHeld(connection);
    });

    expect(held).toBe(1);
  });

  it('skips periodic runs while another instance holds the lock, and runs once it is free', async () => {
    // prepare: the other instance holds the task's lock
    const name = taskName();
    const held = gate();
    let holding = false;
    const holder = withAdvisoryLock(other.db, name, async () => {
      holding = true;
      await held.opened;
    });
    await until(() => holding);
    let runs = 0;
    // act
    const periodic = startPeriodic({
      name,
      intervalMs: 10,
      runAtStart: true,
      logger: pino({ level: 'silent' }),
      lockOn: database.db,
      task: async () => {
        runs += 1;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const runsWhileHeld = runs;
    held.open();
    await holder;
    await until(() => runs > 0);
    await periodic.stop();
    // assess
    expect(runsWhileHeld).toBe(0);
    expect(runs).toBeGreaterThan(0);
  });
});

describe('runs without an advisory lock on PGlite, which one process opens', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('runs the task on the pool, holding no lock: only this process opens the database', async () => {
    let heldDuringRun = -1;
    let answeredDuringRun = false;

    const outcome = await withAdvisoryLock(database.db, taskName(), async (db) => {
      heldDuringRun = await locksHeld(db);
      // The pool's only connection is free: a request would not wait for the run.
      await sql`select 1`.execute(database.db);
      answeredDuringRun = true;
    });

    expect(outcome).toBe('done');
    expect(heldDuringRun).toBe(0);
    expect(answeredDuringRun).toBe(true);
  });

  it('passes the error of a failing run on', async () => {
    const failing = withAdvisoryLock(database.db, taskName(), async () => {
      throw new Error('the task failed');
    });

    await expect(failing).rejects.toThrow('the task failed');
  });

  it('runs a periodic task under the lock', async () => {
    let runs = 0;
    const periodic = startPeriodic({
      name: taskName(),
      intervalMs: 10,
      logger: pino({ level: 'silent' }),
      lockOn: database.db,
      task: async (connection) => {
        await sql`select 1`.execute(connection);
        runs += 1;
      },
    });

    await until(() => runs >= 2);
    await periodic.stop();

    expect(runs).toBeGreaterThanOrEqual(2);
  });
});
