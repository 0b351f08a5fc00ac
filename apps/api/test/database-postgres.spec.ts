import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { connectPostgres } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { describeDatabaseContract } from './support/database-contract';
import type { TestDatabase } from './support/test-database';

const url = process.env['TEST_DATABASE_URL'];

/** A schema of its own on the server, dropped afterwards: the server may be shared. */
async function openPostgres(serverUrl: string): Promise<TestDatabase> {
  const schema = `gallery_test_${randomBytes(6).toString('hex')}`;
  const admin = connectPostgres(serverUrl);
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const scoped = new URL(serverUrl);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = connectPostgres(scoped.toString());
  await migrateToLatest(handle.db);
  return {
    ...handle,
    truncate: async () => {
      await sql`truncate users, sessions, images, image_tags, thumbnails, processing_results, outbox`.execute(
        handle.db,
      );
    },
    async close() {
      await handle.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}

if (url) {
  describeDatabaseContract('PostgreSQL', () => openPostgres(url));
} else {
  describe('the database layer on PostgreSQL', () => {
    it.skip('runs only when TEST_DATABASE_URL names a server', () => undefined);
  });
}
