import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { connectPostgres } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { startPostgresServer, type PostgresServer } from '@gallery/postgres-server';
import { emptyTables, type OpenOptions, type TestDatabase } from './test-database';

export interface PostgresTestDatabase extends TestDatabase {
  /** Connects to this schema: a second instance on the same database opens its own pool. */
  url: string;
}

/**
 * The server a test file uses: the one TEST_DATABASE_URL names, or one started from
 * Debian's packages on first use and stopped after the file's tests. Call it at the top of
 * the file: its `afterAll` must come after those of the suites that use the server.
 */
export function postgresServerForTests(): () => Promise<string> {
  let server: PostgresServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });
  return async () => {
    const given = process.env['TEST_DATABASE_URL'];
    if (given) return given;
    server ??= await startPostgresServer();
    return server.url;
  };
}

/** A schema of its own on the server, dropped on close: the server may be shared. */
export async function openPostgresSchema(
  serverUrl: string,
  { migrated = true }: OpenOptions = {},
): Promise<PostgresTestDatabase> {
  const schema = `gallery_test_${randomBytes(6).toString('hex')}`;
  const admin = connectPostgres(serverUrl);
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const scoped = new URL(serverUrl);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const url = scoped.toString();
  const handle = connectPostgres(url);
  if (migrated) await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    truncate: () => emptyTables(handle.db),
    async close() {
      await handle.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}
