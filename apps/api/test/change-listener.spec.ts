import { sql } from 'kysely';
import pino from 'pino';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect';
import { appendChange } from '../src/feed/append-change';
import { followChanges, type FollowedChanges } from '../src/feed/follow-changes';
import { LISTENER_NAME } from '../src/feed/listen';
import {
  openPostgresSchema,
  postgresServerForTests,
  type PostgresTestDatabase,
} from './support/postgres-schema';
import { until } from './support/until';

const serverUrl = postgresServerForTests();

/** An API instance's view of the feed, on a pool of its own, and what its hub handed out. */
interface Instance {
  handle: DatabaseHandle;
  followed: FollowedChanges;
  received: number[];
}

describe('every instance following the change feed on PostgreSQL', () => {
  let database: PostgresTestDatabase;
  const instances: Instance[] = [];

  beforeAll(async () => {
    database = await openPostgresSchema(await serverUrl());
  });
  afterEach(async () => {
    for (const { followed, handle } of instances.splice(0)) {
      await followed.stop();
      await handle.close();
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  async function startInstance(): Promise<Instance> {
    const handle = connectPostgres(database.url);
    const followed = await followChanges(handle, pino({ level: 'silent' }));
    const instance = { handle, followed, received: [] as number[] };
    followed.hub.subscribe(({ seq }) => instance.received.push(seq));
    await until(() => followed.listener.connected());
    instances.push(instance);
    return instance;
  }

  async function append(count: number): Promise<number[]> {
    return Promise.all(
      Array.from({ length: count }, (_, n) =>
        database.db
          .transaction()
          .execute((trx) => appendChange(trx, { type: 'image.deleted', data: { id: `${n}` } })),
      ),
    );
  }

  const numbersUpTo = (last: number, after = 0) =>
    Array.from({ length: last - after }, (_, n) => after + n + 1);

  it('hands every change, written side by side, to every instance in order', async () => {
    const [first, second] = [await startInstance(), await startInstance()];
    const start = first.received.length;

    const numbers = await append(40);
    const last = Math.max(...numbers);
    await until(() => first.received.at(-1) === last && second.received.at(-1) === last);

    const after = last - 40;
    expect(first.received.slice(start)).toEqual(numbersUpTo(last, after));
    expect(second.received).toEqual(numbersUpTo(last, after));
  });

  it('keeps serving when the server drops every connection it has', async () => {
    const instance = await startInstance();
    await sql`select 1`.execute(instance.handle.db);

    await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
    `.execute(database.db);
    await until(() => !instance.followed.listener.connected());
    await until(() => instance.followed.listener.connected());
    const numbers = await append(2);
    await until(() => instance.received.at(-1) === Math.max(...numbers));

    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(instance.handle.db);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('reads what was committed while its connection was down, once it is back', async () => {
    const instance = await startInstance();
    const before = await append(3);
    await until(() => instance.received.at(-1) === Math.max(...before));

    await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${LISTENER_NAME} and pid <> pg_backend_pid()
    `.execute(database.db);
    await until(() => !instance.followed.listener.connected());
    const meanwhile = await append(10);
    await until(() => instance.received.at(-1) === Math.max(...meanwhile));

    expect(instance.followed.listener.connected()).toBe(true);
    expect(instance.received).toEqual(numbersUpTo(Math.max(...meanwhile), Math.min(...before) - 1));
  });
});
