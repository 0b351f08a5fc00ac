import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { connectPostgres } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { followConcurrentWriters, type Append } from './support/change-feed-contract';
import { describeDatabaseContract } from './support/database-contract';
import { startPostgresServer, type PostgresServer } from './support/postgres-server';
import { emptyTables, type OpenOptions, type TestDatabase } from './support/test-database';

// A server named by TEST_DATABASE_URL, or one started here from Debian's packages.
let server: PostgresServer | undefined;
async function serverUrl(): Promise<string> {
  const given = process.env['TEST_DATABASE_URL'];
  if (given) return given;
  server ??= await startPostgresServer();
  return server.url;
}
afterAll(async () => {
  await server?.stop();
});

/** A schema of its own on the server, dropped afterwards: the server may be shared. */
async function openPostgres(
  serverUrl: string,
  { migrated = true }: OpenOptions = {},
): Promise<TestDatabase> {
  const schema = `gallery_test_${randomBytes(6).toString('hex')}`;
  const admin = connectPostgres(serverUrl);
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const scoped = new URL(serverUrl);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = connectPostgres(scoped.toString());
  if (migrated) await migrateToLatest(handle.db);
  return {
    ...handle,
    truncate: () => emptyTables(handle.db),
    async close() {
      await handle.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}

describeDatabaseContract('PostgreSQL', async (options) => openPostgres(await serverUrl(), options));

describe('numbers from a PostgreSQL sequence, for comparison', () => {
  it('make a follower of concurrent writers skip changes that commit late', async () => {
    const database = await openPostgres(await serverUrl());
    try {
      await sql`create sequence changes_by_sequence`.execute(database.db);
      const appendFromSequence: Append = (trx, event) =>
        sql`
          insert into changes (seq, type, data)
          values (nextval('changes_by_sequence'), ${event.type}, ${JSON.stringify(event.data)}::jsonb)
        `.execute(trx);

      const { skipped } = await followConcurrentWriters(database.db, appendFromSequence);

      expect(skipped.length).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
